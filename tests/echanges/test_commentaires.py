"""Posting comments and replies, mentions and their notifications, rendering (escaped), permissions."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from comptes.perms import Acces
from echanges import fils
from echanges.models import Commentaire, Notification

pytestmark = pytest.mark.django_db


def poster(client, url, texte, **autres):
    return client.post(url, {"texte": texte, **autres})


def test_a_member_posts_a_comment_on_a_gt3_line(connecte, cast, ligne, url_commenter):
    reponse = poster(connecte(cast["dgs_bordeaux"]), url_commenter("ligne-gt3", ligne.pk), "  La paie, oui.  ")
    assert reponse.status_code == 302
    assert reponse.url.endswith(f"/groupes/RH/livrables/gt3/{ligne.pk}/#echanges")
    c = Commentaire.objects.get()
    assert (c.texte, c.auteur, c.cible, c.parent, c.groupe) == (
        "La paie, oui.",
        cast["dgs_bordeaux"],
        ligne,
        None,
        None,
    )


def test_the_comment_returns_to_the_page_it_was_posted_from(connecte, cast, ligne, url_commenter):
    client = connecte(cast["membre_rh"])
    assert (
        poster(client, url_commenter("ligne-gt3", ligne.pk), "Vu", suivant="/t/x/ailleurs/").url
        == "/t/x/ailleurs/#echanges"
    )
    assert poster(client, url_commenter("ligne-gt3", ligne.pk), "Vu", suivant="https://evil.example/").url.startswith(
        "/t/"
    )


def test_a_reply_notifies_the_thread_s_authors_and_stays_one_level_deep(connecte, cast, ligne, url_commenter):
    url = url_commenter("ligne-gt3", ligne.pk)
    poster(connecte(cast["dgs_bordeaux"]), url, "Première remarque")
    racine = Commentaire.objects.get()
    poster(connecte(cast["dgs_merignac"]), url, "Je réponds", parent=racine.pk)
    reponse = Commentaire.objects.get(texte="Je réponds")
    assert reponse.parent == racine
    # A reply to a reply joins the same thread.
    poster(connecte(cast["consultant"]), url, "Moi aussi", parent=reponse.pk)
    dernier = Commentaire.objects.get(texte="Moi aussi")
    assert dernier.parent == racine
    notifiees = {(n.destinataire.username, n.motif) for n in Notification.objects.filter(commentaire=dernier)}
    assert notifiees == {("dgs-bordeaux", "reponse"), ("dgs-merignac", "reponse")}
    # The author of a reply is not notified of her own comment.
    assert not Notification.objects.filter(commentaire=reponse, destinataire=cast["dgs_merignac"]).exists()


def test_a_reply_to_another_thread_is_refused(connecte, cast, ligne, brouillon, url_commenter):
    client = connecte(cast["equipe_projet"])
    poster(client, url_commenter("compte-rendu", brouillon.pk), "Ailleurs")
    autre = Commentaire.objects.get()
    reponse = poster(client, url_commenter("ligne-gt3", ligne.pk), "Réponse égarée", parent=autre.pk)
    assert reponse.status_code == 400
    assert "pas de cette discussion" in reponse.content.decode()
    assert Commentaire.objects.count() == 1


def test_mentions_by_username_or_first_and_last_name_notify(connecte, cast, ligne, url_commenter, mailoutbox):
    membre = cast["membre_rh"]
    membre.first_name, membre.last_name = "Élodie", "Martin-Roux"
    membre.save()
    texte = "Merci @elodie.martin-roux et @Consultant. Et @inconnu, @dgs-nantes ?"
    poster(connecte(cast["dgs_bordeaux"]), url_commenter("ligne-gt3", ligne.pk), texte)
    c = Commentaire.objects.get()
    assert set(c.mentionnes.values_list("username", flat=True)) == {"membre-rh", "consultant"}
    notifs = Notification.objects.filter(commentaire=c)
    assert {(n.destinataire.username, n.motif) for n in notifs} == {("membre-rh", "mention"), ("consultant", "mention")}
    # Immediate e-mail by default, one per notification.
    assert sorted(m.to[0] for m in mailoutbox) == ["consultant@exemple.fr", "membre-rh@exemple.fr"]
    message = next(m for m in mailoutbox if m.to == ["membre-rh@exemple.fr"])
    assert "dgs-bordeaux vous a mentionné" in message.subject
    assert texte in message.body
    assert f"/groupes/RH/livrables/gt3/{ligne.pk}/#echanges" in message.body


def test_a_mentioned_user_who_may_not_read_a_draft_is_not_notified(connecte, cast, brouillon, url_commenter):
    poster(
        connecte(cast["membre_rh"]),
        url_commenter("compte-rendu", brouillon.pk),
        "@observateur et @copilote-rh-epci, relisez",
    )
    assert list(Notification.objects.values_list("destinataire__username", flat=True)) == ["copilote-rh-epci"]


def test_the_text_is_escaped_and_mentions_highlighted(connecte, cast, ligne, url_commenter, territoire):
    poster(
        connecte(cast["dgs_bordeaux"]),
        url_commenter("ligne-gt3", ligne.pk),
        "<script>alert(1)</script> @membre-rh\n<b>gras</b> @personne",
    )
    request = RequestFactory().get("/page/")
    request.user = cast["consultant"]
    html = render_to_string(
        "echanges/includes/fil.html", fils.contexte(ligne, Acces(cast["consultant"], territoire)), request=request
    )
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;gras&lt;/b&gt;" in html
    assert '<mark class="mention">@membre-rh</mark>' in html
    assert "@personne" in html and "<br>" in html
    assert 'name="suivant" value="/page/"' in html


def test_the_thread_is_hidden_from_who_may_not_read_the_draft(cast, brouillon, territoire):
    assert fils.contexte(brouillon, Acces(cast["observateur"], territoire)) == {"fil": None}
    assert fils.contexte(brouillon, Acces(cast["membre_rh"], territoire))["fil"] is not None


@pytest.mark.parametrize("role", ["observateur", "dgs_bordeaux", "elu_copil"])
def test_who_may_not_read_the_draft_may_not_comment_it(connecte, cast, brouillon, url_commenter, role):
    assert poster(connecte(cast[role]), url_commenter("compte-rendu", brouillon.pk), "Hop").status_code == 403
    assert not Commentaire.objects.exists()


def test_an_object_of_another_territory_is_a_404(connecte, cast, territoire, url_commenter):
    from referentiel.models import Activite

    ailleurs = Activite.objects.exclude(territoire=territoire).first()
    assert ailleurs is not None
    assert poster(connecte(cast["equipe_projet"]), url_commenter("activite", ailleurs.pk), "Hop").status_code == 404
    assert poster(connecte(cast["equipe_projet"]), url_commenter("seance", 1), "Hop").status_code == 404


def test_text_is_required_and_at_most_5000_characters(connecte, cast, ligne, url_commenter):
    client = connecte(cast["membre_rh"])
    url = url_commenter("ligne-gt3", ligne.pk)
    vide = poster(client, url, "   ")
    assert vide.status_code == 400 and "Écrivez un commentaire." in vide.content.decode()
    long = poster(client, url, "x" * 5001)
    assert long.status_code == 400 and "au plus 5000 caractères" in long.content.decode()
    assert poster(client, url, "x" * 5000).status_code == 302
    assert client.get(url).status_code == 405


def test_an_activity_is_discussed_within_a_group(connecte, cast, territoire, groupe_rh, url_commenter):
    activite = territoire.activites.get(code="RH-PAIE")
    client = connecte(cast["membre_rh"])
    reponse = poster(client, url_commenter("activite", activite.pk), "Dans le GT", groupe=groupe_rh.pk)
    assert reponse.status_code == 302 and "/groupes/RH/livrables/gt2/RH-PAIE/#echanges" in reponse.url
    assert Commentaire.objects.get().groupe == groupe_rh
    autre_theme = territoire.schemas.get().groupes.exclude(theme="RH").first()
    assert poster(client, url_commenter("activite", activite.pk), "Hop", groupe=autre_theme.pk).status_code == 404
    # Outside any group, a separate discussion.
    poster(client, url_commenter("activite", activite.pk), "Hors groupe")
    assert [c.texte for c in fils.contexte(activite, Acces(cast["membre_rh"], territoire))["fil"].commentaires] == [
        "Hors groupe"
    ]
    assert [
        c.texte for c in fils.contexte(activite, Acces(cast["membre_rh"], territoire), groupe_rh)["fil"].commentaires
    ] == ["Dans le GT"]


def test_odd_ids_are_not_found_not_a_server_error(connecte, cast, territoire, ligne, url_commenter):
    client = connecte(cast["membre_rh"])
    assert poster(client, url_commenter("ligne-gt3", 10**30), "Hop").status_code == 404
    assert poster(client, url_commenter("activite", ligne.activite_id), "Hop", groupe=str(10**30)).status_code == 404
    assert poster(client, url_commenter("ligne-gt3", ligne.pk), "Hop", parent="abc").status_code == 400
    assert poster(client, url_commenter("ligne-gt3", ligne.pk), "Hop", parent=str(10**30)).status_code == 400


def test_an_author_whose_name_holds_a_line_break_still_notifies(connecte, cast, ligne, url_commenter, mailoutbox):
    # A name saved before the single-line rule (or by the admin): the subject is made one line, no error.
    auteur = cast["dgs_bordeaux"]
    auteur.first_name, auteur.last_name = "Anne\nMarie", "Durand\r\nBcc: x@exemple.fr"
    auteur.save()
    reponse = poster(connecte(auteur), url_commenter("ligne-gt3", ligne.pk), "Voyez @consultant")
    assert reponse.status_code == 302
    (message,) = mailoutbox
    assert "\n" not in message.subject and "Anne Marie Durand Bcc: x@exemple.fr" in message.subject
    assert message.recipients() == ["consultant@exemple.fr"]
    message.message()  # the headers can be written
