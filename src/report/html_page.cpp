#include "html_page.h"

#include <fmt/format.h>

#include "xml.h"

namespace smbaudit {
namespace {

constexpr std::string_view kStyle = R"CSS(
:root { --fail: #b42318; --error: #8e24aa; --unknown: #b54708; --pass: #067647; --na: #667085; --waived: #475467;
        --line: #d0d5dd; --soft: #f2f4f7; --ink: #101828; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0;
       background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.meta { color: #475467; margin: 0 0 16px; }
.big { font-size: 40px; font-weight: 700; }
.toolbar { float: right; }
button { font: inherit; border: 1px solid var(--line); background: var(--soft); border-radius: 6px; padding: 4px 10px;
         cursor: pointer; }
table { border-collapse: collapse; }
table.wide { width: 100%; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
.scorebar { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; width: 220px; height: 14px; background: var(--soft); border: 1px solid var(--line);
       border-radius: 7px; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; }
.band-good { background: var(--pass); } .band-fair { background: #f79009; } .band-poor { background: var(--fail); }
.score { display: inline-block; width: 52px; text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; }
details.finding { border: 1px solid var(--line); border-left: 5px solid var(--na); border-radius: 6px; margin: 8px 0;
                  padding: 6px 12px; break-inside: avoid; }
details.finding > summary { cursor: pointer; }
details.fail { border-left-color: var(--fail); } details.error { border-left-color: var(--error); }
details.unknown { border-left-color: var(--unknown); } details.pass { border-left-color: var(--pass); }
details.waived { border-left-color: var(--waived); }
.badge { display: inline-block; min-width: 74px; text-align: center; font-size: 12px; font-weight: 700;
         border-radius: 4px; padding: 1px 6px; color: #fff; background: var(--na); }
.badge.fail { background: var(--fail); } .badge.error { background: var(--error); }
.badge.unknown { background: var(--unknown); } .badge.pass { background: var(--pass); }
.badge.waived { background: #fff; color: var(--waived); border: 1px dashed var(--waived); }
.sev { display: inline-block; width: 64px; color: #475467; font-size: 13px; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 13px; }
pre { background: var(--soft); padding: 8px; border-radius: 4px; white-space: pre-wrap; word-break: break-word; }
ul.evidence { padding-left: 18px; } ul.evidence li { font-family: ui-monospace, Consolas, monospace; font-size: 13px;
              word-break: break-word; }
.note { border-left: 3px solid var(--waived); padding-left: 8px; color: var(--waived); }
.note.expired { border-left-color: var(--unknown); color: var(--unknown); font-weight: 600; }
.dim { color: #667085; }
@media print {
  body { font-size: 11px; } main { max-width: none; padding: 0; }
  .toolbar { display: none; }
  details.finding { border-left-width: 3px; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
)CSS";

// Printing shows every finding opened; the toolbar opens or closes them all on screen.
constexpr std::string_view kScript = R"JS(
(function () {
  var all = function () { return document.querySelectorAll('details'); };
  var setAll = function (open) { all().forEach(function (d) { d.open = open; }); };
  var toggle = document.getElementById('toggle');
  if (toggle) toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('data-open') !== 'true';
    setAll(open);
    toggle.setAttribute('data-open', open ? 'true' : 'false');
    toggle.textContent = open ? 'Collapse all' : 'Expand all';
  });
  var before = [];
  window.addEventListener('beforeprint', function () {
    before = Array.prototype.map.call(all(), function (d) { return d.open; });
    setAll(true);
  });
  window.addEventListener('afterprint', function () {
    all().forEach(function (d, i) { d.open = before[i]; });
  });
})();
)JS";

}  // namespace

std::string html_page_start(std::string_view title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
      xml_escape(title), kStyle);
}

std::string html_page_end() {
  return fmt::format("</main>\n<script>{}</script>\n</body>\n</html>\n", kScript);
}

std::string html_score_bar(const std::optional<double>& score) {
  if (!score) return "<span class=\"scorebar\"><span class=\"bar\"></span> <span class=\"score dim\">n/a</span></span>";
  const char* band = *score >= 90 ? "good" : *score >= 70 ? "fair" : "poor";
  return fmt::format(
      "<span class=\"scorebar\"><span class=\"bar\" role=\"img\" aria-label=\"{0:.1f} of 100\"><span "
      "class=\"band-{1}\" style=\"width:{0:.1f}%\"></span></span> <span class=\"score\">{0:.1f}</span></span>",
      *score, band);
}

}  // namespace smbaudit
