"""Web pages built from text whose sentences are known, for the HTML reader's tests and
bench (bench/documents_html.py): the French seed's scraped article as the page it was
scraped from, and FLORES dev articles wrapped in three kinds of page furniture.

Each builder returns ``(html, gold, chrome)``: the page, the sentences of its text (what
a reader must give back) and the furniture's own sentences and lines (what must stay out
of the content)."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "segmentation"
FLORES = ROOT.parent / "shared" / "data" / "parallel"

esc = html.escape

# The furniture of a French news site: lines a scraper leaves behind, and whole sentences
# (a cookie banner, comments) that a careless extractor would take for the article's.
COOKIE = "Ce site utilise des cookies pour mesurer l’audience et personnaliser les contenus. En poursuivant votre navigation, vous acceptez leur utilisation."
COMMENTS = ["Merci pour cet article très complet, je le partage avec mes collègues.",
            "Je ne suis pas d’accord avec la conclusion, mais le reste est juste."]
RELATED = ["La Commune de Paris, cent cinquante ans après", "Rosa Luxemburg et la révolution russe",
           "Les soviets de 1905 à 1917"]
MENU = ["Accueil", "Actualités", "International", "Culture", "Contact"]
FOOTER = ["Mentions légales", "Tous droits réservés © 2018 La Tendance CLAIRE", "Plan du site"]
NEWSLETTER = "Recevez chaque semaine nos derniers articles dans votre boîte aux lettres."


def chrome_sentences() -> list[str]:
    return [COOKIE, *COMMENTS, *RELATED, *MENU, *FOOTER, NEWSLETTER]


def _ps(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def _sup(n: str) -> str:
    return f'<sup><a href="#nb{n}">{n}</a></sup>'


def seed_page() -> tuple[str, list[str], list[str]]:
    """The French seed (fr_003) as a page: its navigation lines in the header and a sidebar,
    its article in ``<main><article>``, headings as ``h2``, its glued note numbers as the
    ``<sup>`` markers they were, a figure caption, share buttons, a cookie banner, related
    links, comments and a footer of furniture."""
    raw = (GOLD / "fr_003.raw.txt").read_text(encoding="utf-8").split("\n\n")
    gold = (GOLD / "fr_003.gold.txt").read_text(encoding="utf-8").splitlines()
    nav_words = raw[0].replace("[RSS]", "").split()
    body = []
    for p in raw[12:]:
        p = esc(p.strip(), quote=False)
        # the note numbers the scraper glued to words, raised again as they were
        for glued in (r"(2017)(1)(\.)", r"(théorique\.)(2)()", r"(international\s*»)(3)()", r"(Carr)(4)()"):
            p = re.sub(glued, lambda m: m.group(1) + _sup(m.group(2)) + m.group(3), p)
        body.append(f"<h2>{p}</h2>" if len(p) < 90 and p[-1] not in ".!?»)" else f"<p>{p}</p>")
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{esc(raw[5])} | Tendance CLAIRE</title>
<link rel="stylesheet" href="/css/site.css"><script src="/js/site.js"></script></head>
<body>
<div id="cookie-consent" class="cookie-banner"><p>{COOKIE}</p><button>OK</button></div>
<header class="site-header"><a class="logo" href="/">Tendance CLAIRE</a>
<nav><ul>{''.join(f'<li><a href="/{w}">{esc(w)}</a></li>' for w in MENU)}</ul></nav>
<div class="follow"><a href="/rss">[RSS]</a> {' '.join(f'<a href="#">{w}</a>' for w in nav_words[:4])}
{esc(' '.join(nav_words[4:]))}</div></header>
<main>
<article>
<h1>{esc(raw[5])}</h1>
<p class="rubrique"><a href="/rubrique/1917">{raw[6]}</a></p>
<p class="date">Lien publiée le <time datetime="2018-01-02">2 janvier 2018</time></p>
<ul class="share-buttons"><li><a href="#">Tweeter</a></li> <li><a href="#">Facebook</a></li></ul>
<p class="avertissement">{esc(raw[9], quote=False)}</p>
<p><a href="{raw[10]}">{raw[10]}</a></p>
<figure><img src="/img/kollontai.jpg" alt="Réunion du Conseil"><figcaption>{esc(raw[11], quote=False)}</figcaption></figure>
{chr(10).join(body)}
</article>
<section id="comments"><h2>2 commentaires</h2>{_ps(COMMENTS)}</section>
</main>
<aside class="sidebar"><h3>{raw[1]}</h3><p>{NEWSLETTER}</p><form><input type="email"><button>OK</button></form>
<h3>{esc(raw[2])}</h3><ul>{''.join(f'<li><a href="#">{t}</a></li>' for t in RELATED)}</ul><a href="#">{raw[3]}</a>
<p><a href="#">{raw[4]}</a></p></aside>
<footer><ul>{''.join(f'<li>{t}</li>' for t in FOOTER)}</ul></footer>
<script>window.analytics = {{"page": "article"}};</script>
</body></html>
"""
    return page, gold, chrome_sentences() + [raw[0], raw[1], raw[2], raw[3], raw[4], raw[8]]


def flores_articles(lang: str = "fr", at_least: int = 5) -> list[list[str]]:
    """FLORES dev articles of ``at_least`` sentences, each a list of its sentences."""
    lines = (FLORES / f"flores_dev.{lang}-en.{lang}").read_text(encoding="utf-8").splitlines()
    ids = [row.split("\t")[1] for row in (FLORES / "flores_dev.articles.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    articles: dict[str, list[str]] = {}
    for line, article in zip(lines, ids):
        articles.setdefault(article, []).append(line)
    return [a for a in articles.values() if len(a) >= at_least]


def _paragraphs(sentences: list[str]) -> list[str]:
    return [" ".join(esc(s, quote=False) for s in sentences[i:i + 2]) for i in range(0, len(sentences), 2)]


def flores_page(sentences: list[str], style: str) -> tuple[str, list[str], list[str]]:
    """One article in page furniture of one of three ``style``s: ``semantic`` (HTML5
    landmarks), ``divs`` (no landmark, only ids and classes, some of them unusual) and
    ``blog`` (a WordPress-like page with widgets and comments in an ``<ol>``)."""
    paras = _paragraphs(sentences)
    menu = "".join(f'<li><a href="#">{w}</a></li>' for w in MENU)
    related = "".join(f'<li><a href="#">{t}</a></li>' for t in RELATED)
    footer = "".join(f"<li>{t}</li>" for t in FOOTER)
    if style == "semantic":
        body = f"""<header><nav aria-label="principal"><ul>{menu}</ul></nav></header>
<div class="cookie-notice" role="dialog"><p>{COOKIE}</p></div>
<main><article><h1>Dépêche</h1>{_ps(paras)}
<ul class="social-share"><li>Partager</li><li>Twitter</li><li>Facebook</li><li>LinkedIn</li></ul></article>
<aside><h2>À lire aussi</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Commentaires</h2>{_ps(COMMENTS)}</section></main>
<footer><ul>{footer}</ul><p>{NEWSLETTER}</p></footer>"""
    elif style == "divs":
        body = f"""<div id="top"><div class="logo">Le Quotidien</div><div id="menu-principal"><a href="#">{'</a> | <a href="#">'.join(MENU)}</a></div></div>
<div id="gdpr-popup"><div class="txt">{COOKIE}</div></div>
<div id="wrapper"><div id="colonne-gauche"><div class="titre">Dépêche</div>
<div class="texte">{'<br><br>'.join(paras)}</div>
<div class="partage">Partager : <a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Mail</a></div>
<div class="reactions"><div class="bloc-titre">Réactions</div>{''.join(f'<div class="reaction">{c}</div>' for c in COMMENTS)}</div></div>
<div id="colonne-droite"><div class="bloc-titre">À lire aussi</div>{''.join(f'<div class="lien"><a href="#">{t}</a></div>' for t in RELATED)}
<div class="lettre">{NEWSLETTER}</div></div></div>
<div id="bas">{' - '.join(FOOTER)}</div>"""
    else:
        body = f"""<div id="page" class="site"><a class="skip-link" href="#content">Aller au contenu</a>
<header id="masthead" class="site-header"><p class="site-title">Le Carnet</p><nav id="site-navigation" class="main-navigation"><ul>{menu}</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post"><header class="entry-header"><h1 class="entry-title">Dépêche</h1>
<div class="entry-meta">Publié le 3 mai 2021 par admin</div></header>
<div class="entry-content">{_ps(paras)}</div>
<footer class="entry-footer">Catégories : Actualités</footer></article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 réponses</h2><ol class="comment-list">{''.join(f'<li class="comment"><p>{c}</p></li>' for c in COMMENTS)}</ol></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget"><h2>Articles récents</h2><ul>{related}</ul></section>
<section class="widget"><p>{NEWSLETTER}</p></section></aside></div>
<footer id="colophon" class="site-footer"><ul>{footer}</ul></footer></div>
<div class="cookie-law-info-bar">{COOKIE}</div>"""
    page = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Dépêche</title><style>body {{ font: 16px serif; }}</style></head>
<body>
{body}
<script>var _paq = [];</script>
</body></html>
"""
    return page, list(sentences), chrome_sentences()
