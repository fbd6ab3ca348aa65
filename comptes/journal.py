"""How the space's « dernière activité » words the accounts' audit rows (shown to the project team only:
they name people and their e-mail addresses)."""

PHRASES = {
    "comptes.equipe_projet": "a créé un compte de l'équipe projet",
    "comptes.invitation": "a invité une personne",
    "comptes.ajout_roles": "a ajouté des rôles à un compte",
    "comptes.relance": "a renvoyé une invitation",
    "comptes.modification": "a modifié un compte",
    "comptes.desactivation": "a désactivé un compte",
    "comptes.reactivation": "a réactivé un compte",
    "comptes.referent_paie": "a désigné ou retiré un référent paie",
    # Written by the worker of the e-mails (comptes/courriels.py), with no user: « Mutualis … ».
    "comptes.courriel_non_remis": "n'a pas pu remettre un courriel : le serveur de messagerie l'a refusé ou n'a "
    "pas répondu, à chaque tentative",
}
