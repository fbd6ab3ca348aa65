"""GT2, the AFOR grid of each activity of the theme (Avantages, Faiblesses, Opportunités, Risques):
members contribute items tagged with their organisation, the group rewords, merges and deletes them."""
