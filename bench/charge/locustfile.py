"""The users of the load test (issue 16, point 10), run by bench/charge/run.py against the demo served in
production mode: readers, signed in with the demo's accounts in turn, read their territory's home, coefficient,
scenario and group pages; one importer, Mérignac's DGS, sends a small payroll file of her commune (30 agents,
from the template the payroll page offers), reads the batch it prepared and abandons it, again and again. One
importer, not fifty: a commune imports its payroll a few times a year, while its people read pages every day.

CHARGE_MODE=ouvert: users wait 2 to 8 s between pages, as people do; CHARGE_MODE=ferme: they never wait (the
closed loop that gives the throughput). Every response is checked (status, and the page's own marker); the
times and failures are written as JSON to CHARGE_MESURES for run.py, which computes each page's p95.

The test plays the reverse proxy that terminates TLS: each request carries `X-Forwarded-Proto: https` (the
server runs with MUTUALIS_PROXY_HTTPS_HEADER), and the locust client sends the cookies marked Secure over the
loopback. The accounts sign in once, before the load (a production password hash costs half a second of
processor: fifty of them would be the test), and every user of an account shares its session."""

import copy
import http.cookiejar
import itertools
import json
import os
import random
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from locust import FastHttpUser, between, constant, events, task

MOT_DE_PASSE = "mutualis-demo"
# The demo's accounts (mutualis logins-demo): every role of Bordeaux Métropole, and COBAN's project team.
COMPTES = [
    "equipe-projet",
    "dgs-metropole",
    "dgs-bordeaux",
    "dgs-merignac",
    "copilote-rh-commune",
    "copilote-rh-epci",
    "consultant",
    "elu-copil",
    "equipe-projet-coban",
]
AGENTS_PAR_IMPORT = 30
PROXY = {"X-Forwarded-Proto": "https"}

IMPORTATEUR = "dgs-merignac"
SESSIONS: dict[str, dict] = {}  # account → cookies, territory code, scenarios, groups, payroll file
_tour = itertools.cycle(COMPTES)
_mesures: dict[str, list[float]] = {}
_erreurs: dict[str, int] = {}
_exemples: list[str] = []
_bornes = [float("inf"), 0.0]  # first request's start, last one's end (seconds since the epoch)


class _CookiesSurLeBouclage(http.cookiejar.DefaultCookiePolicy):
    """The Secure cookies go over plain HTTP to 127.0.0.1: TLS ends at the proxy this test stands for."""

    def return_ok_secure(self, cookie, request):
        return True


def _ouvrir(hote, jar):
    class SansRedirection(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), SansRedirection)

    def appel(chemin, donnees=None):
        entetes = {**PROXY, "Referer": f"https://{urllib.parse.urlsplit(hote).netloc}{chemin}"}
        requete = urllib.request.Request(hote + chemin, data=donnees, headers=entetes)
        try:
            with opener.open(requete, timeout=60) as reponse:
                return reponse.status, reponse.read().decode(), reponse.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers

    return appel


def _jeton(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _preparer_compte(hote: str, compte: str) -> dict:
    """Sign in, then read what the account's pages link to: its territory, scenarios and groups, and, when it
    may import payroll, the template file of its employer (one example line) made into a small year."""
    jar = http.cookiejar.CookieJar(policy=_CookiesSurLeBouclage())
    appel = _ouvrir(hote, jar)
    _, page, _ = appel("/comptes/connexion/")
    donnees = {"csrfmiddlewaretoken": _jeton(page), "username": compte, "password": MOT_DE_PASSE}
    statut, _, entetes = appel("/comptes/connexion/", urllib.parse.urlencode(donnees).encode())
    if statut != 302:
        raise RuntimeError(f"{compte} : connexion refusée ({statut})")
    _, _, entetes = appel("/")
    code = re.fullmatch(r"/t/(\d+)/", entetes["Location"]).group(1)
    _, page, _ = appel(f"/t/{code}/decision/scenarios/")
    scenarios = sorted(set(re.findall(rf'href="(/t/{code}/decision/scenarios/\d+/)"', page)))
    _, page, _ = appel(f"/t/{code}/groupes/")
    groupes = sorted(set(re.findall(rf'href="(/t/{code}/groupes/[A-Z]+/)"', page)))
    statut, modele, _ = appel(f"/t/{code}/masse-salariale/modele/")
    fichier = None
    if statut == 200:
        entete, exemple = modele.strip().splitlines()
        colonnes = entete.split(";")
        lignes = [entete]
        for i in range(1, AGENTS_PAR_IMPORT + 1):
            valeurs = dict(zip(colonnes, exemple.split(";"), strict=True))
            valeurs["agent"] = f"CHARGE{i:04d}"
            valeurs["cout_annuel"] = str(30000 + 700 * i)
            lignes.append(";".join(valeurs[c] for c in colonnes))
        fichier = ("\n".join(lignes) + "\n").encode()
    return {"cookies": list(jar), "code": code, "scenarios": scenarios, "groupes": groupes, "fichier": fichier}


@events.test_start.add_listener
def _connexions(environment, **kwargs):
    debut = time.perf_counter()
    for compte in COMPTES:
        SESSIONS[compte] = _preparer_compte(environment.host, compte)
    vides = [c for c, s in SESSIONS.items() if not s["scenarios"] or not s["groupes"]]
    if vides:
        raise RuntimeError(f"comptes sans scénario ou sans groupe : {', '.join(vides)}")
    print(f"{len(COMPTES)} comptes connectés en {time.perf_counter() - debut:.1f} s", flush=True)


@events.request.add_listener
def _mesure(request_type, name, response_time, exception, start_time=None, **kwargs):
    if exception is not None:
        _erreurs[name] = _erreurs.get(name, 0) + 1
        if len(_exemples) < 20:
            _exemples.append(f"{name} : {exception}")
        return
    _mesures.setdefault(name, []).append(response_time)
    if start_time is not None:
        _bornes[0] = min(_bornes[0], start_time)
        _bornes[1] = max(_bornes[1], start_time + response_time / 1000)


@events.quitting.add_listener
def _ecrire(environment, **kwargs):
    sortie = os.environ.get("CHARGE_MESURES")
    if sortie:
        with open(sortie, "w", encoding="utf-8") as f:
            json.dump({"temps_ms": _mesures, "erreurs": _erreurs, "exemples": _exemples, "bornes": _bornes}, f)


def _multipart(champs: dict[str, str], nom: str, fichier: str, contenu: bytes) -> tuple[bytes, str]:
    limite = f"----mutualis-charge-{random.getrandbits(64):x}"
    parties = [
        f'--{limite}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in champs.items()
    ]
    parties.append(
        f'--{limite}\r\nContent-Disposition: form-data; name="{nom}"; filename="{fichier}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + contenu
        + b"\r\n"
    )
    return b"".join(parties) + f"--{limite}--\r\n".encode(), f"multipart/form-data; boundary={limite}"


class _Utilisateur(FastHttpUser):
    abstract = True
    wait_time = constant(0) if os.environ.get("CHARGE_MODE") == "ferme" else between(2, 8)

    def compte(self) -> str:
        raise NotImplementedError

    def on_start(self):
        self.session = SESSIONS[self.compte()]
        self.code = self.session["code"]
        self.client.cookiejar.set_policy(_CookiesSurLeBouclage())
        for cookie in self.session["cookies"]:
            self.client.cookiejar.set_cookie(copy.copy(cookie))

    def page(self, chemin: str, nom: str, marque: str):
        """GET a page: a success is a 200 that carries the page's own marker (not a sign-in page)."""
        with self.client.get(chemin, name=nom, headers=PROXY, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"statut {r.status_code} sur {chemin}")
            elif marque not in (r.text or ""):
                r.failure(f"« {marque} » absent de {chemin}")
            else:
                return r.text
        return None

    def envoi(self, chemin: str, nom: str, corps: bytes, type_: str, attendu: str):
        """POST a form: a success is a redirection to the address that matches `attendu` (a regex)."""
        entetes = {**PROXY, "Content-Type": type_, "Referer": f"https://{urllib.parse.urlsplit(self.host).netloc}/"}
        with self.client.post(
            chemin, name=nom, data=corps, headers=entetes, allow_redirects=False, catch_response=True
        ) as r:
            cible = r.headers.get("Location", "") if r.headers else ""
            if r.status_code != 302 or not re.fullmatch(attendu, cible):
                r.failure(f"statut {r.status_code} vers « {cible} » sur {chemin}")
                return None
            return cible


class Lecteur(_Utilisateur):
    def compte(self):
        return next(_tour)

    @task(3)
    def accueil(self):
        self.page(f"/t/{self.code}/", "accueil", "<main")

    @task(2)
    def coefficient(self):
        self.page(f"/t/{self.code}/coefficient/", "coefficient", "<main")

    @task(1)
    def scenarios(self):
        self.page(f"/t/{self.code}/decision/scenarios/", "scénarios", "<main")

    @task(2)
    def scenario(self):
        self.page(random.choice(self.session["scenarios"]), "scénario", "<main")

    @task(2)
    def groupe(self):
        self.page(random.choice(self.session["groupes"]), "groupe", "<main")


class Importateur(_Utilisateur):
    fixed_count = 1

    def compte(self):
        return IMPORTATEUR

    @task
    def import_de_paie(self):
        """The payroll page, a small file of the commune sent, the prepared batch read, then abandoned: one page
        at a time, with the same pauses as the readers'."""
        base = f"/t/{self.code}/masse-salariale/"
        page = self.page(base, "masse salariale", 'name="fichier"')
        if page is None:
            return
        self.wait()
        annee = re.search(r'name="annee" value="(\d+)"', page).group(1)
        corps, type_ = _multipart(
            {"csrfmiddlewaretoken": _jeton(page), "annee": annee}, "fichier", "paie-charge.csv", self.session["fichier"]
        )
        lot = self.envoi(f"{base}importer/", "import : envoi", corps, type_, rf"{base}lots/\d+/")
        if lot is None:
            return
        page = self.page(lot, "import : lot", "abandonner/")
        if page is None:
            return
        self.wait()
        corps = urllib.parse.urlencode({"csrfmiddlewaretoken": _jeton(page)}).encode()
        self.envoi(f"{lot}abandonner/", "import : abandon", corps, "application/x-www-form-urlencoded", base)
