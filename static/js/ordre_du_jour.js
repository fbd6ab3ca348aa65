// Planning a meeting: the agenda follows the chosen stage (each stage has its trame d'animation) as long
// as the user has not written her own text, which is never overwritten. Without this script the server
// applies the same rule when the form is sent (seances/trames.py, ordre_du_jour_suivi): a text that is
// empty or is, as it was, the trame of a stage takes the trame of the chosen stage.
(function () {
  "use strict";

  const form = document.querySelector("form[data-suivi-trames]");
  if (!form) return;
  const etape = form.elements.namedItem("etape");
  const texte = form.elements.namedItem("ordre_du_jour");
  const annonce = form.querySelector("[data-annonce-trame]");
  if (!etape || !texte) return;

  // The trames shown in the page (an empty trame has no <pre>).
  const trames = {};
  form.querySelectorAll("[data-trame]").forEach((bloc) => {
    const pre = bloc.querySelector("pre");
    trames[bloc.dataset.trame] = pre ? pre.textContent : "";
  });
  const normal = (s) => s.replace(/\r\n?/g, "\n").trim();
  const libelle = () => etape.options[etape.selectedIndex].text;

  function nonModifie() {
    const valeur = normal(texte.value);
    return valeur === "" || Object.values(trames).some((t) => normal(t) === valeur);
  }

  function suivre(annoncer) {
    const trame = trames[etape.value];
    if (trame === undefined) return;
    let message = "";
    if (!nonModifie()) {
      message = "Étape changée : l'ordre du jour que vous avez écrit est gardé.";
    } else if (normal(texte.value) !== normal(trame)) {
      texte.value = trame;
      message = trame
        ? `Ordre du jour remplacé par la trame de l'étape « ${libelle()} ».`
        : `Ordre du jour vidé : l'étape « ${libelle()} » n'a pas de trame.`;
    }
    if (annoncer && annonce) annonce.textContent = message;
  }

  etape.addEventListener("change", () => suivre(true));
  // A page shown again (an error, the browser's back button) may pair a stage with another stage's trame.
  suivre(false);
})();
