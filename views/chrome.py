"""What surrounds every page: Streamlit's English texts replaced by French ones (on screen and for assistive
technology: the document's language, aria labels), our own sidebar links (they carry the label and département),
a French message for a mistyped page address, the skip link and table link around each map."""

from __future__ import annotations

import html
import json
from urllib.parse import urlparse

import streamlit as st

from geo.io import limits
from views.state import escape_md

# Streamlit's widgets write a few English words that no option turns off: each is hidden and, where the
# user needs a word, replaced by a French one drawn by CSS. The table toolbar (search, full screen and a
# comma-separated "Download as CSV") is hidden: every table has our own exports under it.
CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "Glissez-déposez un fichier ici (CSV, XLSX, JSON, GeoJSON ; MAX_MO Mo au plus)"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "Choisir un fichier"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] span { display: none; }
[data-testid="stElementToolbar"] { display: none; }
[data-testid="stMultiSelectDropdown"] [data-empty], [data-testid="stSelectboxVirtualDropdown"] [data-empty] {
  font-size: 0; }
[data-testid="stMultiSelectDropdown"] [data-empty]::after,
[data-testid="stSelectboxVirtualDropdown"] [data-empty]::after { content: "Aucun résultat"; font-size: 0.9rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal; }
[data-testid="stMetricLabel"] p { white-space: normal; }
.st-key-tdj-courbe { max-width: 100%; }
/* captions at AA contrast (Streamlit fades them to 3.9:1 on white) */
[data-testid="stCaptionContainer"], [data-testid="stImageCaption"] { opacity: 1; color: #5f5e5a; }
[data-testid="stCaptionContainer"] p, [data-testid="stCaptionContainer"] strong { color: #5f5e5a; }
/* the label of a control that is off for now (EPCI before a département is chosen): 2.3:1 in Streamlit's theme */
label[data-testid="stWidgetLabel"][disabled], label[data-testid="stWidgetLabel"][disabled] p { color: #63625e; }
/* placeholders of empty date and select inputs */
[data-baseweb="select"] [aria-hidden="true"] p, input::placeholder { color: #6b6a66; opacity: 1; }
/* focus always visible, on light and dark backgrounds alike */
a:focus-visible, button:focus-visible, summary:focus-visible, [tabindex]:focus-visible, input:focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
/* the heading's link icon, hidden until hovered, is shown when the keyboard reaches it */
[data-testid="stHeaderActionElements"]:focus-within, [data-testid="stHeaderActionElements"] a:focus-visible,
h1 a:focus-visible, h2 a:focus-visible, h3 a:focus-visible { opacity: 1 !important; visibility: visible;
  transition: none !important; }
/* the link that skips a map: off screen until it has the keyboard's focus */
.tdj-skip { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
.tdj-skip:focus { position: static; width: auto; height: auto; display: inline-block; padding: 4px 10px;
  background: #fff; color: #1d4ed8; border: 2px solid #1d4ed8; border-radius: 4px; }
.tdj-after-map { font-size: 0.9rem; margin: 0; }
.tdj-after-map:focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
[class*="st-key-tdj-a11y"] { display: none; }
</style>""".replace("MAX_MO", str(limits.MAX_BYTES // 2**20))  # the limit geo/io/limits.py applies


# Labels Streamlit gives its controls in English, read aloud by screen readers: whole labels, then prefixes.
ARIA_FR = {
    "Collapse sidebar": "Replier la barre latérale", "Expand sidebar": "Déplier la barre latérale",
    "Sidebar": "Barre latérale", "Skip to main content": "Aller au contenu", "Link to heading": "Lien vers ce titre",
    "Open": "Ouvrir la liste", "Close": "Fermer", "Clear all": "Supprimer tout", "Clear value": "Supprimer la valeur",
    "Clear": "Supprimer", "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher", "Fullscreen": "Plein écran", "Close fullscreen": "Quitter le plein écran",
    "Main menu": "Menu principal", "Delete": "Supprimer", "Remove file": "Supprimer le fichier",
    "Show password text": "Afficher le mot de passe", "Hide password text": "Masquer le mot de passe",
    "Increment": "Augmenter", "Decrement": "Diminuer", "Selected": "Choisi", "Calendar.": "Calendrier.",
    "Previous month.": "Mois précédent.", "Next month.": "Mois suivant.", "Choose a date": "Choisir une date",
    "Upload": "Choisir un fichier", "Browse files": "Choisir un fichier",
}
ARIA_PREFIXES = {"Help for ": "Aide : ", "Fullscreen: ": "Plein écran : ", "Delete ": "Supprimer ",
                 "Remove ": "Supprimer "}

# Run in the page itself (st.html with its script allowed): the document says it is in French (Streamlit's
# index.html says "en"), English aria labels are replaced as Streamlit draws them, an image without alt text
# takes its caption, an icon-only button its French name; a skip link moves the focus to its target.
_SCRIPT = """<script>
(function () {
  var w = window.parent && window.parent.document ? window.parent : window, d = w.document;
  d.documentElement.lang = 'fr';
  if (w.__tdjA11y) { return; }
  w.__tdjA11y = true;
  var WHOLE = __WHOLE__, PREFIX = __PREFIX__;
  function french(v) {
    if (!v) { return null; }
    if (Object.prototype.hasOwnProperty.call(WHOLE, v)) { return WHOLE[v]; }
    for (var p in PREFIX) { if (v.indexOf(p) === 0) { return PREFIX[p] + v.slice(p.length); } }
    return null;
  }
  function fix(root) {
    if (d.documentElement.lang !== 'fr') { d.documentElement.lang = 'fr'; }
    (root.querySelectorAll ? root : d).querySelectorAll('[aria-label], [title]').forEach(function (e) {
      ['aria-label', 'title'].forEach(function (a) {
        var f = french(e.getAttribute(a)); if (f) { e.setAttribute(a, f); }
      });
    });
    d.querySelectorAll('a[href="#main"], a[href^="#stMain"]').forEach(function (a) {
      if (a.textContent.trim() === 'Skip to main content') { a.textContent = 'Aller au contenu'; }
    });
    d.querySelectorAll('[data-testid="stImageContainer"] img:not([alt])').forEach(function (img) {
      var box = img.closest('[data-testid="stImageContainer"]'), cap = box && box.parentElement &&
        box.parentElement.querySelector('[data-testid="stImageCaption"]');
      img.setAttribute('alt', cap ? 'Courbe. ' + cap.textContent.trim() : '');
    });
    // the uploader's button shows « Choisir un fichier » by CSS only (its English words are hidden)
    d.querySelectorAll('[data-testid="stFileUploaderDropzone"] button:not([aria-label])').forEach(function (b) {
      b.setAttribute('aria-label', 'Choisir un fichier');
    });
    d.querySelectorAll('[data-testid="stFileUploaderFile"] button:not([aria-label])').forEach(function (b) {
      b.setAttribute('aria-label', 'Retirer le fichier');
    });
  }
  var queued = false;
  new w.MutationObserver(function () {
    if (!queued) { queued = true; w.queueMicrotask(function () { queued = false; fix(d); }); }
  }).observe(d.documentElement, {subtree: true, childList: true, attributes: true,
                                 attributeFilter: ['aria-label', 'title', 'lang']});
  fix(d);
  // a table is one tab stop, like the maps: Tab leaves it (Streamlit's grid would walk every column of a row
  // first), the arrow keys move inside it
  var FOCUSABLE = 'a[href], button, input, select, textarea, summary, iframe, [tabindex]';
  d.addEventListener('keydown', function (e) {
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var grid = e.target.closest && e.target.closest('[data-testid="stDataFrame"]');
    if (!grid) { return; }
    var all = Array.prototype.filter.call(d.querySelectorAll(FOCUSABLE), function (el) {
      return (el === grid || !grid.contains(el)) && el.tabIndex >= 0 && !el.disabled && el.getClientRects().length;
    });
    var after = e.shiftKey ? all.filter(function (el) {
      return grid.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING; }).pop()
      : all.find(function (el) { return grid.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING; });
    if (after) { e.preventDefault(); e.stopPropagation(); after.focus(); }
  }, true);
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.tdj-skip, a.tdj-to-data');
    if (!a || (a.getAttribute('href') || '').charAt(0) !== '#') { return; }
    var t = d.getElementById(a.getAttribute('href').slice(1));
    if (t) { e.preventDefault(); t.scrollIntoView({block: 'start'}); t.focus({preventScroll: true}); }
  }, true);
})();
</script>""".replace("__WHOLE__", json.dumps(ARIA_FR, ensure_ascii=False)).replace(
    "__PREFIX__", json.dumps(ARIA_PREFIXES, ensure_ascii=False))


def french_chrome() -> None:
    """French texts and styles on every page, and the script that makes the page French for screen readers."""
    st.markdown(CSS, unsafe_allow_html=True)
    with st.container(key="tdj-a11y"):  # hidden: the script has nothing to show
        st.html(_SCRIPT, unsafe_allow_javascript=True)


def skip_map(what: str) -> None:
    """Before a map: a link that skips it (for keyboard users: the map is a single tab stop, its polygons are
    not), to the line under the map (`after_map`); `what` names the map («la carte des communes»)."""
    st.html(f'<a class="tdj-skip" href="#tdj-apres-carte">Passer {html.escape(what)}</a>')


DATA = "tdj-donnees-carte"  # the id of the place where a page's table alternative to its map starts


def after_map(data_name: str, href: str = "#" + DATA) -> None:
    """Under a map: where the skip link and the map's Escape key land, with the link to the map's data as a
    table (its text alternative): on this page (`data_anchor_here`) or on another page's address."""
    st.html(f'<p id="tdj-apres-carte" class="tdj-after-map" tabindex="-1">'
            f'<a class="tdj-to-data" href="{html.escape(href)}">Voir les données de la carte</a> '
            f"({html.escape(data_name)})</p>")


def data_anchor_here() -> None:
    """Where a map's table alternative starts (the target of « Voir les données de la carte »)."""
    st.html(f'<span id="{DATA}" tabindex="-1"></span>')


def sidebar_links(where, pages: list, current) -> None:
    """The pages as sidebar links that keep the label (and the département where a page has one)."""
    from views.widgets import CHOSEN_DEP, CHOSEN_LABEL

    label = st.session_state.get(CHOSEN_LABEL)
    dep = st.session_state.get(CHOSEN_DEP)
    for page in pages:
        params = {}
        if label:
            params["label"] = label
        if dep and page.url_path in ("departement", "presentation", "listes", "centres"):
            params["dep"] = dep
        if page.url_path == "region" and st.session_state.get("region_choisie"):
            params["reg"] = st.session_state["region_choisie"]
        where.page_link(page, label=page.title, icon=page.icon, query_params=params or None)


def unknown_page(current) -> None:
    """A mistyped address opens the default page: say so in French, in place of Streamlit's English box."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = path.removeprefix(base).strip("/").removesuffix(current.url_path).strip("/")
    if path:
        st.warning(f"Page « {escape_md(path)} » introuvable : la page {current.title} est affichée à la place. "
                   "Les pages sont dans la barre latérale.")
        # Streamlit's own English "Page not found" box is hidden while this message is on the page
        st.markdown('<span class="tdj-page-inconnue"></span><style>body:has(.tdj-page-inconnue) '
                    '[data-testid="stDialog"] {display: none;}</style>', unsafe_allow_html=True)
