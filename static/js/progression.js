// The progress of a document being prepared (publication/views.etat): read every two seconds, shown in
// its <progress> and its status line; once it is ready or has failed, the page is read again. Without
// this script the page says the same thing and offers « Actualiser ».
(function () {
  "use strict";
  document.querySelectorAll("[data-etat-url]").forEach(function (bloc) {
    var barre = bloc.querySelector("progress");
    var etape = bloc.querySelector(".etape");
    function lire() {
      fetch(bloc.dataset.etatUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (e) {
          if (e.statut === "pret" || e.statut === "echec") {
            window.location.reload();
            return;
          }
          barre.value = e.progression;
          barre.textContent = e.progression + " %";
          etape.textContent = e.libelle + " : " + (e.etape || "en file d'attente") + " (" + e.progression + " %)";
          window.setTimeout(lire, 2000);
        })
        .catch(function () {
          etape.textContent = "État de la préparation illisible : actualisez la page.";
        });
    }
    window.setTimeout(lire, 1500);
  });
})();
