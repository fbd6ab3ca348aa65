"""Pages of the exchanges, under /t/<code>/echanges/. Every view loads the territory through the
chokepoint (comptes.perms): 404 outside the territory or for another territory's object, 403 when the
user may not read the commented object, 400 for a refused form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from commun.erreurs import ActionRefusee
from comptes.perms import get_territoire_ou_404
from echanges import actions, cibles, fils, mentions
from echanges.enums import Frequence
from echanges.forms import CommentaireForm, PreferenceForm
from echanges.notifications import mes_notifications

REFUS_LIRE = "Vous ne pouvez pas lire cet objet : vous ne pouvez donc ni lire ni écrire ses commentaires."


def _entier(valeur):
    try:
        return int(valeur) if valeur not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _suivant(request, defaut: str) -> str:
    suivant = request.POST.get("suivant", "")
    if suivant.startswith("/") and url_has_allowed_host_and_scheme(
        suivant, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return suivant if "#" in suivant else suivant + "#echanges"
    return defaut


@login_required
def commenter(request, code, type, pk):
    territoire, acces = get_territoire_ou_404(request.user, code)
    objet, groupe = cibles.charger(territoire, type, pk, _entier(request.POST.get("groupe")))
    if not cibles.peut_lire(acces, objet, groupe):
        raise PermissionDenied(REFUS_LIRE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommentaireForm(request.POST)
    erreurs = []
    if form.is_valid():
        parent = None
        parent_id = form.cleaned_data["parent"]
        if parent_id is not None:
            parent = actions.fil_de(objet, groupe).filter(pk=parent_id).first()
            if parent is None:
                erreurs.append("réponse : le commentaire auquel vous répondez n'est pas de cette discussion")
        if not erreurs:
            try:
                actions.do_commenter(
                    territoire, request.user, objet, form.cleaned_data["texte"], groupe=groupe, parent=parent
                )
            except ActionRefusee as exc:
                erreurs.extend(exc.messages)
            else:
                messages.success(request, "Votre commentaire est publié.")
                return redirect(_suivant(request, cibles.url_de(objet, territoire, groupe)))
    contexte = fils.contexte(objet, acces, groupe, formulaire=form)
    return render(
        request,
        "echanges/commenter.html",
        {
            "territoire": territoire,
            "acces": acces,
            **contexte,
            "erreurs": erreurs,
            "sujet": cibles.libelle(objet, groupe),
            "retour": cibles.url_de(objet, territoire, groupe),
        },
        status=400,
    )


@login_required
def notifications(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    liste = list(mes_notifications(request.user, territoire)[:200])
    for notif in liste:
        if notif.tache:  # an action that started waiting: its words and page are stored
            notif.sujet = notif.libelle
            continue
        c = notif.commentaire
        objet = c.cible
        notif.auteur_nom = mentions.nom(c.auteur) if c.auteur else "Utilisateur supprimé"
        notif.sujet = cibles.libelle(objet, c.groupe) if objet is not None else "objet supprimé"
        notif.url = cibles.url_de(objet, territoire, c.groupe) if objet is not None else ""
        notif.html = mentions.rendre(c.texte, c.mentionnes.all())
    non_lues = sum(1 for n in liste if not n.lue)
    return render(
        request,
        "echanges/notifications.html",
        {
            "territoire": territoire,
            "acces": acces,
            "notifications": liste,
            "non_lues": non_lues,
            "preference": PreferenceForm(initial={"frequence": actions.preference(request.user)}),
        },
    )


@login_required
def tout_lire(request, code):
    territoire, _ = get_territoire_ou_404(request.user, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    n = actions.do_tout_marquer_lu(territoire, request.user)
    messages.success(
        request,
        f"{n} notification{'s' if n > 1 else ''} marquée{'s' if n > 1 else ''} comme lue{'s' if n > 1 else ''}."
        if n
        else "Aucune notification non lue.",
    )
    return redirect("echanges:notifications", code=territoire.code)


@login_required
def preferences(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "echanges/notifications.html",
            {
                "territoire": territoire,
                "acces": acces,
                "notifications": [],
                "non_lues": None,
                "preference": form,
                "seulement_preference": True,
            },
            status=400,
        )
    actions.do_choisir_frequence(request.user, form.cleaned_data["frequence"])
    choix = form.cleaned_data["frequence"]
    messages.success(request, f"Courriels des notifications : {Frequence(choix).label}.")
    return redirect(reverse("echanges:notifications", kwargs={"code": territoire.code}))
