"""`make charge` (issue 16, point 10): the demo served in production mode (scripts/serve-production.sh: gunicorn,
whitenoise, the task workers, a PostgreSQL cluster of its own in a temporary var/), then locust, headless:

1. a warm-up, not measured: each gunicorn worker fills its per-process caches (the payroll aggregates of the
   scenario pages) as a long-running server has;
2. the open loop: 50 users for 60 s, each waiting 2 to 8 s between pages (bench/charge/locustfile.py): no
   error, and each page's p95 under 300 ms;
3. the closed loop: users that never wait, for the throughput (requests per second, and per core).

Prints each page's p95 beside the target with PASS or FAIL, and the throughput; exits 1 on any error or miss.
Everything runs on 127.0.0.1 and is bounded in users and time (docs/exploitation.md, « Charge »)."""

import argparse
import json
import math
import os
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
CIBLE_MS = 300.0


def _arguments():
    parser = argparse.ArgumentParser(description="Test de charge de Mutualis en mode production (démonstration).")
    parser.add_argument("--utilisateurs", type=int, default=50, help="utilisateurs de la boucle ouverte (50)")
    parser.add_argument("--duree", type=int, default=60, help="durée de la boucle ouverte, en secondes (60)")
    parser.add_argument("--ferme-utilisateurs", type=int, default=10, help="utilisateurs sans attente (10)")
    parser.add_argument("--ferme-duree", type=int, default=30, help="durée de la boucle fermée, en secondes (30)")
    parser.add_argument("--chauffe", type=int, default=15, help="durée de la chauffe, en secondes (15)")
    parser.add_argument("--port", type=int, default=0, help="port du serveur (un port libre par défaut)")
    parser.add_argument("--garder", action="store_true", help="garde le dossier temporaire (base, journaux)")
    args = parser.parse_args()
    # Bounded, as every load loop of this project: at most 200 users and 10 minutes a phase.
    for nom in ("utilisateurs", "ferme_utilisateurs"):
        if not 1 <= getattr(args, nom) <= 200:
            parser.error(f"--{nom.replace('_', '-')} : entre 1 et 200")
    for nom in ("duree", "ferme_duree", "chauffe"):
        if not 0 <= getattr(args, nom) <= 600:
            parser.error(f"--{nom.replace('_', '-')} : entre 0 et 600 secondes")
    return args


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nombre(x: float, decimales: int = 0) -> str:
    return f"{x:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


def _p95(temps: list[float]) -> float:
    """The nearest-rank 95th percentile: 95 % of the requests took at most this."""
    ordonnes = sorted(temps)
    return ordonnes[max(0, math.ceil(0.95 * len(ordonnes)) - 1)]


class _PuitsSMTP(socketserver.StreamRequestHandler):
    """The mail relay of the test: an SMTP server on 127.0.0.1 that accepts every message, counts it and keeps
    nothing. The server sends through its SMTP backend as in production (a development backend such as the
    console or dummy one fails `check --deploy`, mail.E001)."""

    def handle(self):
        self.wfile.write(b"220 charge ESMTP\r\n")
        while ligne := self.rfile.readline():
            verbe = ligne[:4].upper()
            if verbe == b"DATA":
                self.wfile.write(b"354 suite\r\n")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                with self.server.verrou:
                    self.server.courriels += 1
                self.wfile.write(b"250 recu\r\n")
            elif verbe == b"QUIT":
                self.wfile.write(b"221 fin\r\n")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


def _relais_smtp() -> socketserver.ThreadingTCPServer:
    relais = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _PuitsSMTP)
    relais.daemon_threads = True
    relais.courriels, relais.verrou = 0, threading.Lock()
    threading.Thread(target=relais.serve_forever, daemon=True).start()
    return relais


class Serveur:
    """scripts/serve-production.sh with the demo, in its own session (its process group is stopped with it)."""

    def __init__(self, var: Path, port: int, port_smtp: int):
        self.var, self.port = var, port
        self.url = f"http://127.0.0.1:{port}"
        self.journal = var / "serveur.log"
        env = {
            **os.environ,
            "MUTUALIS_VAR_DIR": str(var),
            "ALLOWED_HOSTS": "127.0.0.1",
            "MUTUALIS_SITE_URL": f"https://127.0.0.1:{port}",
            # The test stands for the reverse proxy that terminates TLS (locustfile.py sends the header).
            "MUTUALIS_PROXY_HTTPS_HEADER": "HTTP_X_FORWARDED_PROTO",
            # No e-mail leaves a load test: they go to the test's own relay.
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port_smtp),
        }
        # Nothing of the caller's own instance: its database, keys, mail account.
        for nom in (
            *("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "MUTUALIS_PSEUDONYM_KEY", "MUTUALIS_PSEUDONYM_KEY_FILE"),
            *("EMAIL_BACKEND", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_HOST_PASSWORD_FILE"),
            *("EMAIL_USE_TLS", "EMAIL_USE_SSL", "MEDIA_ROOT"),
        ):
            env.pop(nom, None)
        self.sortie = open(self.journal, "w")  # noqa: SIM115 (closed in arreter)
        self.processus = subprocess.Popen(
            [str(ROOT / "scripts" / "serve-production.sh"), "127.0.0.1", str(port), "--demo"],
            cwd=ROOT,
            env=env,
            stdout=self.sortie,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def attendre(self, limite_s: float = 600) -> None:
        fin = time.monotonic() + limite_s
        requete = urllib.request.Request(f"{self.url}/comptes/connexion/", headers={"X-Forwarded-Proto": "https"})
        while time.monotonic() < fin:
            if self.processus.poll() is not None:
                raise RuntimeError(f"le serveur s'est arrêté (code {self.processus.returncode})")
            try:
                with urllib.request.urlopen(requete, timeout=5) as reponse:
                    if reponse.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise RuntimeError(f"le serveur ne répond pas après {limite_s:.0f} s")

    def arreter(self) -> None:
        if self.processus.poll() is None:
            self.processus.send_signal(signal.SIGTERM)  # the script stops gunicorn, the workers, PostgreSQL
            try:
                self.processus.wait(timeout=90)
            except subprocess.TimeoutExpired:
                os.killpg(self.processus.pid, signal.SIGKILL)
                self.processus.wait()
        self.sortie.close()

    def fin_du_journal(self, lignes: int = 30) -> str:
        return "\n".join(self.journal.read_text(errors="replace").splitlines()[-lignes:])


def _locust(serveur: Serveur, mode: str, utilisateurs: int, duree: int, nom: str) -> dict:
    mesures = serveur.var / f"{nom}.json"
    commande = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(utilisateurs),
        "--spawn-rate",
        "10",
        "--run-time",
        f"{duree}s",
        "--stop-timeout",
        "15",
        "--host",
        serveur.url,
        "--only-summary",
    ]
    with open(serveur.var / f"{nom}.log", "w") as sortie:
        subprocess.run(
            commande,
            cwd=ROOT,
            env={**os.environ, "CHARGE_MODE": mode, "CHARGE_MESURES": str(mesures)},
            stdout=sortie,
            stderr=subprocess.STDOUT,
            timeout=duree + 300,
            check=False,
        )
    if not mesures.exists():
        raise RuntimeError(f"locust n'a rien mesuré ({serveur.var / f'{nom}.log'})")
    return json.loads(mesures.read_text())


def _erreurs(resultat: dict) -> int:
    return sum(resultat["erreurs"].values())


def _exemples(resultat: dict) -> None:
    for exemple in resultat["exemples"][:10]:
        print(f"    {exemple}")


def main() -> int:
    args = _arguments()
    coeurs = os.cpu_count() or 1
    var = Path(tempfile.mkdtemp(prefix="mutualis-charge-"))
    var.chmod(0o711)  # run as root, the cluster belongs to postgres, who must reach var/postgres
    port = args.port or _port_libre()
    print(f"Charge de la machine avant le test (1 min) : {_nombre(os.getloadavg()[0], 2)} sur {coeurs} cœurs")
    print(f"Serveur de production avec la démonstration sur le port {port} (base et journaux dans {var})…", flush=True)
    relais = _relais_smtp()
    serveur = Serveur(var, port, relais.server_address[1])
    reussi = False
    try:
        debut = time.monotonic()
        serveur.attendre()
        print(f"Prêt en {_nombre(time.monotonic() - debut)} s.", flush=True)

        echecs = 0
        if args.chauffe:
            chauffe = _locust(serveur, "ferme", args.ferme_utilisateurs, args.chauffe, "chauffe")
            echecs += _erreurs(chauffe)
            print(
                f"Chauffe : {args.ferme_utilisateurs} utilisateurs sans attente, {args.chauffe} s, "
                f"{sum(map(len, chauffe['temps_ms'].values()))} requêtes, {_erreurs(chauffe)} erreur(s)."
            )
            _exemples(chauffe)

        ouvert = _locust(serveur, "ouvert", args.utilisateurs, args.duree, "ouvert")
        print(
            f"\nBoucle ouverte : {args.utilisateurs} utilisateurs, {args.duree} s, 2 à 8 s entre deux pages "
            f"(cible : p95 < {CIBLE_MS:.0f} ms, aucune erreur)"
        )
        print(f"  {'page':<18} {'requêtes':>9} {'erreurs':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  cible")
        noms = sorted(set(ouvert["temps_ms"]) | set(ouvert["erreurs"]))
        manques = 0
        for nom in noms:
            temps = ouvert["temps_ms"].get(nom, [])
            erreurs = ouvert["erreurs"].get(nom, 0)
            p95 = _p95(temps) if temps else float("nan")
            ok = bool(temps) and erreurs == 0 and p95 < CIBLE_MS
            manques += not ok
            print(
                f"  {nom:<18} {len(temps):>9} {erreurs:>8} "
                f"{_nombre(statistics.median(temps)) if temps else '-':>8} {_nombre(p95) if temps else '-':>8} "
                f"{_nombre(max(temps)) if temps else '-':>8}  < {CIBLE_MS:.0f} ms {'PASS' if ok else 'FAIL'}"
            )
        echecs += _erreurs(ouvert)
        _exemples(ouvert)

        ferme = _locust(serveur, "ferme", args.ferme_utilisateurs, args.ferme_duree, "ferme")
        requetes = sum(map(len, ferme["temps_ms"].values()))
        debut_s, fin_s = ferme["bornes"]
        debit = requetes / (fin_s - debut_s) if requetes and fin_s > debut_s else 0.0
        tous = [t for temps in ferme["temps_ms"].values() for t in temps]
        print(
            f"\nBoucle fermée : {args.ferme_utilisateurs} utilisateurs sans attente, {args.ferme_duree} s : "
            f"{requetes} requêtes, {_nombre(debit, 1)} requêtes/s, soit {_nombre(debit / coeurs, 1)} par cœur "
            f"({coeurs} cœurs, partagés avec locust et PostgreSQL), p95 {_nombre(_p95(tous)) if tous else '-'} ms, "
            f"{_erreurs(ferme)} erreur(s) {'PASS' if _erreurs(ferme) == 0 and requetes else 'FAIL'}"
        )
        echecs += _erreurs(ferme)
        _exemples(ferme)
        print(f"Courriels remis au relais SMTP du test : {relais.courriels}")
        print(f"Charge de la machine après le test (1 min) : {_nombre(os.getloadavg()[0], 2)}")

        reussi = echecs == 0 and manques == 0
        print(f"\n{'PASS' if reussi else 'FAIL'} : {echecs} erreur(s), {manques} page(s) hors cible.")
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"Échec du test de charge : {exc}", file=sys.stderr)
        print(serveur.fin_du_journal(), file=sys.stderr)
    finally:
        serveur.arreter()
        relais.shutdown()
        if args.garder or not reussi:
            print(f"Base et journaux gardés dans {var}")
        else:
            shutil.rmtree(var, ignore_errors=True)
    return 0 if reussi else 1


if __name__ == "__main__":
    sys.exit(main())
