"""Saving a form of shared text as a browser does (commun/concurrence.py): the page is read first, and its
hidden fingerprint goes back with the typed values."""

import re

EMPREINTE = re.compile(r'name="(?P<nom>(?:[\w-]+-)?empreinte)" value="(?P<valeur>[0-9a-f]{64})"')


def empreintes(client, url) -> dict[str, str]:
    """Every fingerprint field of the page at `url` (several forms may carry one, each with its prefix); none
    when the page refuses the form (a locked text, a missing right)."""
    response = client.get(url)
    return {m["nom"]: m["valeur"] for m in EMPREINTE.finditer(response.content.decode())}


def enregistrer(client, url, data: dict, page=None):
    """POST `data` to `url` with the fingerprints of the page that shows the form (`page`, by default the
    same URL), read just before."""
    return client.post(url, {**empreintes(client, page or url), **data})
