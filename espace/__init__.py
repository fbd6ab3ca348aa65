"""The shared space's pages that gather every app (docs/architecture.md, the top of the apps): the home
page of a territory (where the process stands, what awaits me, latest activity) and the territory page
(organisations, populations, current batches)."""
