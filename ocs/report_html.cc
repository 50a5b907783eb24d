// The report as one self-contained HTML page: inline CSS, inline SVG for the traffic heatmap
// and the block graphs, and a short inline script that sorts a table by the column clicked.
#include "ocs/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lp::ocs {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string mlu(const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : "unroutable"; }

constexpr const char* kStyle = R"~(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: right; }
th { background: #f0f2f5; } td.name, th.name { text-align: left; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th:after { content: " \2195"; color: #999; }
.warn { color: #8a4b00; } .none { color: #2a7a2a; }
.graphs { display: flex; flex-wrap: wrap; gap: 2em; }
figure { margin: 0; } figcaption { text-align: center; color: #555; }
td.remove { color: #a00; } td.add { color: #070; }
)~";

// Sorts a table.sortable by the clicked column: numbers as numbers, the rest as text.
constexpr const char* kScript = R"~(
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute('data-order') !== 'up';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-order'); });
      th.setAttribute('data-order', up ? 'up' : 'down');
      var key = function (row) { return row.cells[col].textContent.trim(); };
      var numeric = rows.every(function (row) { return key(row) === '' || !isNaN(Number(key(row))); });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return up ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
)~";

// White to dark blue on a logarithmic scale of `v` over `top`.
std::string shade(double v, double top) {
  const double t = top > 0 && v > 0 ? std::log10(1 + 9 * v / top) : 0;
  const auto mix = [t](int from, int to) { return static_cast<int>(std::lround(from + t * (to - from))); };
  return fmt::format("rgb({},{},{})", mix(255, 8), mix(255, 48), mix(255, 107));
}

std::string heatmap(const Proposal& p) {
  const std::size_t n = p.traffic.size();
  double top = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j) top = std::max(top, p.traffic.at(i, j));
    }
  }
  const double cell = std::clamp(480.0 / std::max<std::size_t>(n, 1), 4.0, 28.0);
  const double label = n <= 32 ? 90 : 0;
  const double side = label + cell * static_cast<double>(n);
  std::string svg = fmt::format(R"~(<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{0}" height="{0}" viewBox="0 0 {0} {0}" role="img" aria-label="traffic heatmap">)~", side);
  const double gbit = 8 / p.traffic.duration_s / 1e9;
  for (std::size_t i = 0; i < n; ++i) {
    if (label > 0) {
      svg += fmt::format(R"~(<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>)~", label - 4,
                         label + cell * (static_cast<double>(i) + 0.7), esc(p.traffic.names[i]));
      svg += fmt::format(R"~(<text transform="translate({},{}) rotate(-60)" font-size="11">{}</text>)~",
                         label + cell * (static_cast<double>(i) + 0.6), label - 4, esc(p.traffic.names[i]));
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double v = i == j ? 0 : p.traffic.at(i, j);
      svg += fmt::format(R"~(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#eee"><title>{} to {}: {:.6g} Gbit/s</title></rect>)~",
                         label + cell * static_cast<double>(j), label + cell * static_cast<double>(i), cell, cell, shade(v, top),
                         esc(p.traffic.names[i]), esc(p.traffic.names[j]), v * gbit);
    }
  }
  return svg + "</svg>";
}

// Blocks on a circle, a line per pair with circuits, its width growing with their number;
// the after graph colors pairs that gained (green) or lost (red) circuits.
std::string graph(const BlockSummary& g, bool after) {
  const std::size_t n = g.blocks.size();
  const auto& x = after ? g.after : g.before;
  int top = 1;
  for (const auto& row : x) {
    for (const int c : row) top = std::max(top, c);
  }
  const double r = 170, mid = 220;
  const auto at = [&](std::size_t i) {
    const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(n, 1)) - M_PI / 2;
    return std::pair(mid + r * std::cos(a), mid + r * std::sin(a));
  };
  std::string svg = fmt::format(R"~(<svg id="graph-{}" xmlns="http://www.w3.org/2000/svg" width="440" height="440" viewBox="0 0 440 440" role="img" aria-label="block graph {}">)~",
                                after ? "after" : "before", after ? "after" : "before");
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const int c = x[i][j];
      if (c == 0 && !(after && g.before[i][j] > 0)) continue;
      const auto [x1, y1] = at(i);
      const auto [x2, y2] = at(j);
      std::string color = "#7a8699";
      if (after && c > g.before[i][j]) color = "#1f9d55";
      if (after && c < g.before[i][j]) color = "#d64545";
      const double width = c > 0 ? 0.6 + 3.4 * std::sqrt(static_cast<double>(c) / top) : 0.8;
      svg += fmt::format(R"~(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="{:.2f}"{} opacity="0.8"><title>{} - {}: {} circuits (before {})</title></line>)~",
                         x1, y1, x2, y2, color, width, c == 0 ? R"~( stroke-dasharray="3 3")~" : "", esc(g.blocks[i]),
                         esc(g.blocks[j]), c, g.before[i][j]);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto [cx, cy] = at(i);
    svg += fmt::format(R"~(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="#334"><title>{}</title></circle>)~", cx, cy, esc(g.blocks[i]));
    if (n <= 24) {
      const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n) - M_PI / 2;
      svg += fmt::format(R"~(<text x="{:.1f}" y="{:.1f}" font-size="11" text-anchor="middle">{}</text>)~", mid + (r + 22) * std::cos(a),
                         mid + (r + 22) * std::sin(a) + 4, esc(g.blocks[i]));
    }
  }
  return svg + "</svg>";
}

void change_rows(std::string& out, std::size_t stage, const char* action, const std::vector<NamedCircuit>& list) {
  for (const NamedCircuit& c : list) {
    out += fmt::format(R"~(<tr><td>{}</td><td class="name">{}</td><td class="name {}">{}</td><td>{}</td><td>{}</td><td class="name">{}</td><td class="name">{}</td></tr>)~",
                       stage + 1, esc(c.ocs), action, action, c.a, c.b, esc(c.blocks.size() == 2 ? c.blocks[0] : "?"),
                       esc(c.blocks.size() == 2 ? c.blocks[1] : "?"));
    out += "\n";
  }
}

}  // namespace

std::string report_html(const Proposal& p, const std::string& source) {
  const Findings f = find(p);
  const BlockSummary& g = p.block_graph;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>OCS proposal: {}</title>\n<style>{}</style>\n</head>\n<body>\n", esc(p.fabric), kStyle);
  out += fmt::format("<h1>OCS reconfiguration proposal: fabric <code>{}</code></h1>\n", esc(p.fabric));
  out += fmt::format("<p>From <code>{}</code>: {} blocks, {} circuits in the base, {} in the target, {} stages.</p>\n",
                     esc(source), g.blocks.size(), p.base.size(), p.target.size(), p.stages.size());

  out += "<h2>Metrics</h2>\n<table id=\"metrics\"><thead><tr><th class=\"name\"></th><th>direct fraction</th><th>hop count</th>"
         "<th>MLU</th><th>churn</th></tr></thead><tbody>\n";
  for (const auto& [name, m] : {std::pair<const char*, const ProposalMetrics*>{"before", &p.before}, {"after", &p.after}}) {
    out += fmt::format("<tr><td class=\"name\">{}</td><td>{:.4f}</td><td>{:.4f}</td><td>{}</td><td>{}</td></tr>\n", name,
                       m->direct_fraction, m->hop_count, mlu(m->mlu), m->churn);
  }
  out += fmt::format("<tr><td class=\"name\">bound</td><td>{:.4f}</td><td>{:.4f}</td><td></td><td></td></tr>\n</tbody></table>\n",
                     p.bound_direct_fraction, 2 - p.bound_direct_fraction);
  out += fmt::format("<p>Gap to the bound (the linear relaxation): {:.4f} of direct fraction.</p>\n",
                     p.bound_direct_fraction - p.after.direct_fraction);

  out += "<h2>Warnings</h2>\n<ul id=\"warnings\">\n";
  if (f.warnings.empty()) out += "<li class=\"none\">None.</li>\n";
  for (const std::string& w : f.warnings) out += "<li class=\"warn\">" + esc(w) + "</li>\n";
  out += "</ul>\n";

  out += "<h2>Settings</h2>\n<table id=\"settings\"><thead><tr><th class=\"name\">setting</th><th class=\"name\">value</th></tr></thead><tbody>\n";
  for (auto it = p.settings.begin(); it != p.settings.end(); ++it) {
    out += fmt::format("<tr><td class=\"name\">{}</td><td class=\"name\"><code>{}</code></td></tr>\n", esc(it.key()), esc(it.value().dump()));
  }
  out += "</tbody></table>\n";

  double total = 0;
  for (const auto& pair : f.pairs) total += pair.gbps;
  out += fmt::format("<h2>Traffic planned for</h2>\n<p>{:.6g} Gbit/s between blocks over {} s; rows send to columns.</p>\n",
                     total, p.traffic.duration_s);
  out += "<figure>" + heatmap(p) + "<figcaption>traffic from row to column (logarithmic shade)</figcaption></figure>\n";
  out += "<table id=\"pairs\" class=\"sortable\"><thead><tr><th class=\"name\">block</th><th class=\"name\">block</th><th>Gbit/s</th>"
         "<th>share %</th><th>circuits after</th><th>served directly %</th></tr></thead><tbody>\n";
  for (const auto& pair : f.pairs) {
    out += fmt::format("<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{:.6g}</td><td>{:.2f}</td><td>{}</td><td>{:.1f}</td></tr>\n",
                       esc(g.blocks[static_cast<std::size_t>(pair.i)]), esc(g.blocks[static_cast<std::size_t>(pair.j)]), pair.gbps,
                       100 * pair.gbps / total, pair.circuits, 100 * pair.direct);
  }
  out += "</tbody></table>\n";

  out += "<h2>Block graph</h2>\n<div class=\"graphs\">\n<figure>" + graph(g, false) + "<figcaption>before</figcaption></figure>\n";
  out += "<figure>" + graph(g, true) + "<figcaption>after (green: more circuits, red: fewer)</figcaption></figure>\n</div>\n";
  out += "<table id=\"pair-changes\" class=\"sortable\"><thead><tr><th class=\"name\">block</th><th class=\"name\">block</th>"
         "<th>before</th><th>after</th><th>Gbit/s</th></tr></thead><tbody>\n";
  for (const auto& c : f.changes) {
    out += fmt::format("<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{:.6g}</td></tr>\n",
                       esc(g.blocks[static_cast<std::size_t>(c.i)]), esc(g.blocks[static_cast<std::size_t>(c.j)]), c.before, c.after, c.gbps);
  }
  out += "</tbody></table>\n";

  out += "<h2>Stages</h2>\n<p>Apply in order; within a stage remove first, then add.</p>\n<table id=\"stages\"><thead><tr>"
         "<th>stage</th><th>removals</th><th>additions</th><th>min block capacity</th><th class=\"name\">connected</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < p.stages.size(); ++k) {
    const ProposalStage& s = p.stages[k];
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.3f}</td><td class=\"name\">{}</td></tr>\n", k + 1, s.remove.size(),
                       s.add.size(), s.min_block_capacity, s.connected ? "yes" : "no");
  }
  out += "</tbody></table>\n<h3>Cross-connects per OCS, in stage order</h3>\n<table id=\"changes\" class=\"sortable\"><thead><tr>"
         "<th>stage</th><th class=\"name\">OCS</th><th class=\"name\">action</th><th>port</th><th>port</th><th class=\"name\">block</th>"
         "<th class=\"name\">block</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < p.stages.size(); ++k) {
    // Per OCS, removals before additions, as they are applied.
    std::vector<std::string> names;
    for (const auto* list : {&p.stages[k].remove, &p.stages[k].add}) {
      for (const NamedCircuit& c : *list) names.push_back(c.ocs);
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const std::string& ocs : names) {
      std::vector<NamedCircuit> rem, add;
      for (const NamedCircuit& c : p.stages[k].remove) {
        if (c.ocs == ocs) rem.push_back(c);
      }
      for (const NamedCircuit& c : p.stages[k].add) {
        if (c.ocs == ocs) add.push_back(c);
      }
      change_rows(out, k, "remove", rem);
      change_rows(out, k, "add", add);
    }
  }
  out += "</tbody></table>\n";
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

}  // namespace lp::ocs
