PHRASES = {
    "echanges.commentaire": "a écrit un commentaire",
}
