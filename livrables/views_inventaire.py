"""GT1, « liste des activités par domaine »: a page per commune (one form for every activity of the
theme) and the group's consolidated view (activities × communes). Rights through comptes.perms:
404 outside the territory, 403 for a member who may not fill this commune's inventory, 409 when the
deliverable is locked."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from comptes.perms import get_groupe_pour
from livrables import actions
from livrables.enums import TypeLivrable
from livrables.models import LigneInventaire
from mutualis.erreurs import ActionRefusee
from referentiel.models import Activite

REFUS_REMPLIR = (
    "Seuls le DGS de la commune, ses délégués dans le groupe et l'équipe projet remplissent "
    "la liste des activités de cette commune."
)
OUI_NON = [("", "non renseigné"), ("oui", "oui"), ("non", "non")]


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def communes_du_territoire(territoire):
    return list(territoire.organisations.communes().filter(membre=True).order_by("nom", "code"))


def activites_du_theme(territoire, theme, avec_sous_activites=False):
    qs = Activite.objects.filter(territoire=territoire, theme=theme).order_by("ordre", "code")
    if avec_sous_activites:
        qs = qs.prefetch_related("sous_activites")
    return list(qs)


def etp_paie_par_activite(territoire, commune, theme, activites) -> dict[int, Decimal]:
    """{activity id: ETP} from the commune's current payroll aggregates for the theme."""
    import polars as pl

    from masse_salariale.lecture import paie_courante

    paie = paie_courante(territoire)
    if paie.vide or paie.agregats.is_empty():
        return {}
    par_code = {a.code: a.pk for a in activites}
    frame = (
        paie.agregats.filter((pl.col("employeur") == commune.code) & (pl.col("theme") == theme))
        .group_by("activite")
        .agg(pl.col("etp_ligne").sum())
    )
    return {
        par_code[code]: Decimal(str(round(etp, 2)))
        for code, etp in frame.iter_rows()
        if code in par_code and etp is not None
    }


# --- the form ----------------------------------------------------------------------------------------


def etp_paie_visible(territoire, acces, groupe, org, activites) -> dict[int, Decimal]:
    """{activity id: ETP} of the commune's payroll, prefilled on its page and in its spreadsheet: only for
    who may fill that commune's list and sees its detail (the consolidated view and the export are read
    by every member: payroll must not leak)."""
    if acces.peut_remplir_inventaire(groupe, org) and acces.voit_detail(org.code):
        return etp_paie_par_activite(territoire, org, groupe.theme, activites)
    return {}


def etp_propose(ligne, etp_paie):
    """The ETP a row shows: the commune's own, else the payroll's (`etp_paie`: None when unknown or
    hidden from the reader), unless the commune said it does not exercise the activity."""
    if ligne is not None and (ligne.etp is not None or ligne.exerce is False):
        return ligne.etp
    return etp_paie


def _decoupe(texte: str, libelles: list[str]) -> tuple[list[str], str]:
    """Split stored sub-activities (one a line) into referential labels and the other lines."""
    lignes = [l.strip() for l in (texte or "").splitlines() if l.strip()]
    return [l for l in lignes if l in libelles], "\n".join(l for l in lignes if l not in libelles)


class InventaireForm(forms.Form):
    exerce = forms.ChoiceField(
        label="La commune exerce-t-elle cette activité ?", choices=OUI_NON, required=False, widget=forms.RadioSelect
    )
    etp = forms.DecimalField(
        label="ETP",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        error_messages={
            "invalid": "Saisissez un nombre d'ETP (par exemple 2,5).",
            "min_value": "Le nombre d'ETP ne peut pas être négatif.",
            "max_digits": "Le nombre d'ETP est trop grand.",
            "max_decimal_places": "Deux décimales au plus pour les ETP.",
        },
    )
    sous_activites = forms.MultipleChoiceField(
        label="Sous-activités exercées", required=False, widget=forms.CheckboxSelectMultiple
    )
    autres_sous_activites = forms.CharField(
        label="Autres sous-activités",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Une par ligne, celles que le référentiel ne cite pas.",
    )
    specificites = forms.CharField(
        label="Spécificités", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, activite, etp_paie=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activite = activite
        self.etp_paie = etp_paie
        if etp_paie is not None:
            self.fields["etp"].widget.attrs["aria-describedby"] = f"id_{self.add_prefix('etp')}_paie"
        libelles = [s.libelle for s in activite.sous_activites.all()]
        self.fields["sous_activites"].choices = [(l, l) for l in libelles]
        if not libelles:
            del self.fields["sous_activites"]
            self.fields["autres_sous_activites"].label = "Sous-activités exercées"
            self.fields["autres_sous_activites"].help_text = "Une par ligne."

    def clean(self):
        data = super().clean()
        if data.get("exerce") == "non" and data.get("etp"):
            self.add_error("etp", "La commune n'exerce pas cette activité : laissez l'ETP vide ou à 0.")
        return data

    def valeurs(self) -> dict:
        d = self.cleaned_data
        exerce = {"oui": True, "non": False}.get(d.get("exerce") or "")
        lignes = list(d.get("sous_activites") or []) + [
            l.strip() for l in (d.get("autres_sous_activites") or "").splitlines() if l.strip()
        ]
        return {
            "exerce": exerce,
            "etp": d.get("etp"),
            "sous_activites": "\n".join(lignes),
            "specificites": d.get("specificites") or "",
        }


class BaseInventaireFormSet(forms.BaseFormSet):
    def __init__(self, *args, activites, etp_paie, **kwargs):
        self.activites = activites
        self.etp_paie_par_activite = etp_paie
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        activite = self.activites[index] if index is not None and index < len(self.activites) else self.activites[-1]
        return {"activite": activite, "etp_paie": self.etp_paie_par_activite.get(activite.pk)}

    def clean(self):
        if self.total_form_count() != len(self.activites):
            raise forms.ValidationError(
                "Le formulaire ne correspond plus à la liste des activités : rechargez la page."
            )


InventaireFormSet = forms.formset_factory(InventaireForm, formset=BaseInventaireFormSet, extra=0)


def _initial(activites, lignes, etp_paie):
    initial = []
    for a in activites:
        ligne = lignes.get(a.pk)
        libelles = [s.libelle for s in a.sous_activites.all()]
        if ligne is None:
            initial.append({"etp": etp_paie.get(a.pk)})
            continue
        coches, autres = _decoupe(ligne.sous_activites, libelles)
        initial.append(
            {
                "exerce": {True: "oui", False: "non"}.get(ligne.exerce, ""),
                "etp": etp_propose(ligne, etp_paie.get(a.pk)),
                "sous_activites": coches,
                "autres_sous_activites": autres,
                "specificites": ligne.specificites,
            }
        )
    return initial


def _commentaires_par_activite(groupe) -> dict[int, int]:
    """Number of comments on each activity discussed in this group, in one query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from echanges.models import Commentaire

    rows = (
        Commentaire.objects.filter(groupe=groupe, content_type=ContentType.objects.get_for_model(Activite))
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {r["object_id"]: r["n"] for r in rows}


# --- views ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def commune(request, code, theme, commune):
    territoire, acces, groupe = _groupe(request, code, theme)
    org = territoire.organisations.communes().filter(code=commune).first()
    if org is None:
        raise Http404("Commune introuvable dans ce territoire.")
    peut_remplir = acces.peut_remplir_inventaire(groupe, org)
    if request.method == "POST" and not peut_remplir:
        raise PermissionDenied(REFUS_REMPLIR)
    livrable = actions.livrable_de(groupe, TypeLivrable.INVENTAIRE)
    activites = activites_du_theme(territoire, groupe.theme, avec_sous_activites=True)
    lignes = {l.activite_id: l for l in livrable.inventaire.filter(commune=org).select_related("modifie_par")}
    etp_paie = etp_paie_visible(territoire, acces, groupe, org, activites)
    voit_paie = peut_remplir and acces.voit_detail(org.code)
    status, erreurs = 200, []
    kwargs = {"activites": activites, "etp_paie": etp_paie, "prefix": "activites"}
    if request.method == "POST":
        formset = InventaireFormSet(request.POST, **kwargs)
        if formset.is_valid():
            valeurs = {form.activite.pk: form.valeurs() for form in formset}
            try:
                n = actions.do_enregistrer_inventaire(livrable, org, request.user, valeurs, etp_paie)
            except ActionRefusee as exc:
                erreurs, status = exc.messages, 409
            else:
                if n:
                    messages.success(
                        request,
                        f"Liste des activités de {org.nom} enregistrée : "
                        f"{n} activité{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''} "
                        f"(version {livrable.version} du livrable).",
                    )
                else:
                    messages.info(request, "Aucune modification.")
                return redirect("livrables:gt1_commune", code=code, theme=groupe.theme, commune=org.code)
        else:
            status = 400
    else:
        formset = InventaireFormSet(initial=_initial(activites, lignes, etp_paie), **kwargs)
    rangs = [
        {
            "activite": f.activite,
            "form": f,
            "ligne": lignes.get(f.activite.pk),
            "etp_paie": etp_paie.get(f.activite.pk),
            "sous": "sous_activites" in f.fields,
        }
        for f in formset
    ]
    return render(
        request,
        "livrables/inventaire_commune.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "commune": org,
            "formset": formset,
            "rangs": rangs,
            "peut_remplir": peut_remplir,
            "modifiable": livrable.modifiable,
            "erreurs": erreurs,
            "voit_paie": voit_paie,
        },
        status=status,
    )


@login_required
@require_safe
def consolide(request, code, theme):
    """Activities × communes: oui / non / —, with the declared ETP; totals per activity."""
    territoire, acces, groupe = _groupe(request, code, theme)
    livrable = actions.livrable_de(groupe, TypeLivrable.INVENTAIRE)
    communes = communes_du_territoire(territoire)
    activites = activites_du_theme(territoire, groupe.theme)
    cellules = {
        (l.activite_id, l.commune_id): l
        for l in LigneInventaire.objects.filter(livrable=livrable).only(
            "activite_id", "commune_id", "exerce", "etp", "specificites"
        )
    }
    repondu = {c for (_, c), l in cellules.items() if l.exerce is not None}
    discussions = _commentaires_par_activite(groupe)
    lignes = []
    for a in activites:
        rang = [cellules.get((a.pk, c.pk)) for c in communes]
        oui = [l for l in rang if l is not None and l.exerce]
        lignes.append(
            {
                "activite": a,
                "cellules": rang,
                "nb_oui": len(oui),
                "nb_non": sum(1 for l in rang if l is not None and l.exerce is False),
                "etp": sum((l.etp for l in oui if l.etp is not None), Decimal(0)),
                "nb_commentaires": discussions.get(a.pk, 0),
            }
        )
    remplissables = [c for c in communes if acces.peut_remplir_inventaire(groupe, c)]
    return render(
        request,
        "livrables/inventaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "communes": communes,
            "lignes": lignes,
            "nb_repondu": sum(1 for c in communes if c.pk in repondu),
            "etp_total": sum((l["etp"] for l in lignes), Decimal(0)),
            "ma_commune": next(
                (c for c in remplissables if acces.organisation and c.pk == acces.organisation.pk), None
            ),
            "remplissables": remplissables if acces.est_equipe_projet else [],
        },
    )


@login_required
def activite(request, code, theme, activite):
    """One activity across the communes (each one's answer, ETP, sub-activities and specifics) and the
    group's discussion of it: the GT1 row's thread, the same as on the activity's AFOR grid."""
    from echanges import fils

    territoire, acces, groupe = _groupe(request, code, theme)
    if request.method not in ("GET", "HEAD"):  # after the territory: an outsider always gets a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    objet = Activite.objects.filter(territoire=territoire, theme=groupe.theme, code=activite).first()
    if objet is None:
        raise Http404("Activité introuvable dans ce thème.")
    livrable = actions.livrable_de(groupe, TypeLivrable.INVENTAIRE)
    communes = communes_du_territoire(territoire)
    lignes = {l.commune_id: l for l in livrable.inventaire.filter(activite=objet).select_related("modifie_par")}
    rangs = [{"commune": c, "ligne": lignes.get(c.pk)} for c in communes]
    oui = [r["ligne"] for r in rangs if r["ligne"] is not None and r["ligne"].exerce]
    return render(
        request,
        "livrables/inventaire_activite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "activite": objet,
            "sous_activites": [s.libelle for s in objet.sous_activites.all()],
            "rangs": rangs,
            "nb_oui": len(oui),
            "nb_non": sum(1 for r in rangs if r["ligne"] is not None and r["ligne"].exerce is False),
            "etp": sum((l.etp for l in oui if l.etp is not None), Decimal(0)),
            **fils.contexte(objet, acces, groupe=groupe),
        },
    )
