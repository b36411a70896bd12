"""MkDocs hook: the Chinese edition at the site root, the English edition under ``/en/``.

mkdocs-static-i18n (``docs_structure: suffix``) builds both editions: ``page.md`` is the
English source, ``page.zh.md`` its Chinese translation, and a page without a translation
falls back to English. The plugin ties two things to its ``default: true`` language:

1. the language of the *unsuffixed* sources (and of the fallback), and
2. the edition written at the site root.

We need them split: the unsuffixed sources are English (the English pages stay where
they always were), but the root belongs to the Chinese edition, whose readers are the
course's primary audience. Declaring ``zh`` the default instead fails with "Conflicting
files for the default language" (``page.md`` would count as Chinese; upstream issue
ultrabug/mkdocs-static-i18n#262), and renaming every English page to ``page.en.md`` would
move every source, test and link in the kit.

So mkdocs.yml declares English the plugin's default (fact 1) and gives every language a
``link`` (``zh: /``, ``en: /en/``), which the plugin already uses for Material's language
selector. This hook makes the plugin also *write* each edition's pages where its ``link``
says (fact 2), by wrapping ``mkdocs_static_i18n.suffix.create_i18n_file``, the one
function that decides a page's destination, and moving the page from the plugin's
default place to the ``link`` folder. Navigation, page alternates (the language switch),
the sitemap and the search index are all computed from these File objects, so they follow.
Assets are left where the plugin puts them (shared, at the root).

Also:

* Material turns each ``extra.alternate`` entry into a ``<link rel="alternate">`` in the
  page head, and its JavaScript fetches ``sitemap.xml`` next to each such link, expecting
  a language's *root*. The plugin points them at the same page in each edition (what
  makes the header's language switch keep the reader's page), so every page asked for
  two nonexistent ``<page>/sitemap.xml`` (404s in the console). ``on_post_page`` drops
  these head links; the header's selector is untouched, and the page-to-page hreflang
  pairs stay published in the plugin's ``sitemap.xml``.
* jieba (Material's Chinese search segmentation) stops logging its dictionary loading
  on every build.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

I18N_PLUGIN = "i18n"
HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')
_wrapped_marker = "_kit_i18n_layout"


def edition_folders(plugin) -> dict[str, str]:
    """``{locale: folder}`` from the plugin's ``languages[].link`` ("" is the site root)."""
    folders = {}
    for language in plugin.config.languages:
        link = language.link or ("/" if language.default else f"/{language.locale}/")
        folders[language.locale] = link.strip("/")
    return folders


def plugin_folder(locale: str, default_locale: str) -> str:
    """Where the plugin itself puts an edition: the default at the root, others in /<locale>/."""
    return "" if locale == default_locale else locale


def move_page(file, src_folder: str, dst_folder: str, config) -> None:
    """Re-home a page's File from ``src_folder`` to ``dst_folder`` under the site dir."""
    dest = PurePosixPath(file.dest_uri)
    if src_folder:
        if not dest.is_relative_to(src_folder):
            raise PluginError(f"i18n_layout hook: {file.src_uri} is built to {dest}, not under {src_folder}/; "
                              "mkdocs-static-i18n placed it somewhere this hook does not expect")
        dest = dest.relative_to(src_folder)
    if dst_folder:
        dest = PurePosixPath(dst_folder) / dest
    file.dest_uri = dest.as_posix()
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_path))
    url = file._get_url(config.use_directory_urls)
    if dst_folder and PurePosixPath(url).as_posix() == ".":
        url = quote(dst_folder + "/")  # the same fix-up the plugin applies to a language's home
    file.url = url


def native(file, folders: dict[str, str], default_language: str, config):
    """``file`` as the plugin itself would have placed it.

    The plugin also derives a page's alternates (the other editions' versions) from the
    File of the current edition's page, which this hook has already moved: put it back
    first, or an English-only page's Chinese alternate would land under en/ too.
    """
    language = getattr(file, "locale_alternate_of", None)
    if language is None or language not in folders:
        return file
    want, have = folders[language], plugin_folder(language, default_language)
    if want == have:
        return file
    original = File(file.src_path, config.docs_dir, config.site_dir, config.use_directory_urls,
                    dest_uri=file.dest_uri, inclusion=file.inclusion)
    move_page(original, want, have, config)
    return original


def _wrap(original):
    def create_i18n_file(file, current_language, default_language, all_languages, config):
        plugin = config.plugins.get(I18N_PLUGIN)
        if plugin is None or not file.is_documentation_page():
            return original(file, current_language, default_language, all_languages, config)
        folders = edition_folders(plugin)
        file = native(file, folders, default_language, config)
        i18n_file = original(file, current_language, default_language, all_languages, config)
        want = folders.get(current_language)
        have = plugin_folder(current_language, default_language)
        if want is not None and want != have:
            move_page(i18n_file, have, want, config)
        return i18n_file

    setattr(create_i18n_file, _wrapped_marker, True)
    return create_i18n_file


def install() -> None:
    try:
        from mkdocs_static_i18n import suffix
    except ImportError as exc:  # pragma: no cover - mkdocs.yml lists the plugin
        raise PluginError(f"i18n_layout hook: mkdocs-static-i18n is not installed ({exc})") from None
    original = getattr(suffix, "create_i18n_file", None)
    if original is None:
        raise PluginError(
            "i18n_layout hook: mkdocs_static_i18n.suffix.create_i18n_file is gone; this mkdocs-static-i18n "
            "release changed the internals the hook relies on (see pyproject.toml's pin)"
        )
    if not getattr(original, _wrapped_marker, False):
        suffix.create_i18n_file = _wrap(original)


def on_startup(command, dirty):  # noqa: ARG001 - MkDocs hook signature
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass


def on_config(config):
    plugin = config.plugins.get(I18N_PLUGIN)
    if plugin is None:
        return config
    if plugin.config.docs_structure != "suffix":
        raise PluginError("i18n_layout hook: expects the i18n plugin's docs_structure: suffix")
    install()
    return config


def on_post_page(output, page, config):  # noqa: ARG001 - MkDocs hook signature
    head, sep, body = output.partition("</head>")
    if not sep:
        return output
    return HEAD_ALTERNATE.sub("", head) + sep + body
