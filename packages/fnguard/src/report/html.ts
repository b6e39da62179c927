/**
 * `--format html`: one self-contained page that works offline (inline CSS and JS, no external
 * request, a Content-Security-Policy that allows only this page's own script and style by hash).
 * Functions ranked by risk, a chart of findings by category and severity (inline SVG), filters
 * (severity, category, function, rule, text), and every finding with its message, location,
 * snippet, taint flow, remediation and docs link.
 *
 * A pure function of the Result (and the rule metadata for remediation text). Every string from
 * the Result is attacker-controlled (file names, messages, code) and goes through `esc()`;
 * the page renders fully without JavaScript, the script only filters.
 */
import { createHash } from 'node:crypto';
import type { Finding, FunctionSummary, Result, RiskLevel, Severity } from '../engine/types.js';
import { SEVERITIES } from '../engine/types.js';
import type { Remediation, RuleMeta } from '../rules/defineRule.js';
import { FORMAT_LABEL } from './ruleDoc.js';

export interface HtmlOptions {
  /** Rule metadata: remediation text and descriptions. */
  rules?: readonly RuleMeta[];
  /** Page title (default: `fnguard report: <root folder>`). */
  title?: string;
}

/** Escape text for HTML content and (double- or single-quoted) attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '');
}

/** Escaped text with `inline code` spans (rule remediation is written in markdown). */
function escInline(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Only http(s) links leave the page. */
function safeHref(url: string | undefined): string | undefined {
  return url && /^https?:\/\/[^\s]+$/i.test(url) ? url : undefined;
}

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

function basename(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** The remediation entry that fits the finding's format, plus the general advice. */
function remediationFor(f: Finding, meta: RuleMeta | undefined): { label: string; text: string }[] {
  if (!meta) return [];
  const r: Remediation = meta.remediation;
  const out: { label: string; text: string }[] = [];
  const prefix = f.function ? f.function.slice(0, f.function.indexOf(':')) : '';
  const file = f.location.file.toLowerCase();
  let key: keyof Remediation | undefined;
  if (prefix && prefix in r && prefix !== 'general') key = prefix as keyof Remediation;
  else if (/\.(tf|tf\.json|hcl)$/.test(file)) key = 'terraform';
  else if (/(^|\/)cdk\.out\//.test(file)) key = 'cdk';
  else if (/(^|\/)serverless\.(ya?ml|json)$/.test(file)) key = 'serverless';
  else if (/\.(m?[jt]sx?|cjs|cts|py)$/.test(file)) key = 'code';
  else if (/\.(ya?ml|json|template)$/.test(file)) key = r.sam && /sam/.test(prefix) ? 'sam' : 'cloudformation';
  if (key && key !== 'general' && r[key]) out.push({ label: FORMAT_LABEL[key] ?? key, text: r[key] as string });
  out.unshift({ label: 'Fix', text: r.general });
  return out;
}

function triggerChips(fn: FunctionSummary): string {
  if (fn.triggers.length === 0) return '<span class="muted">none</span>';
  const seen = new Set<string>();
  const chips: string[] = [];
  for (const t of fn.triggers) {
    const label = t.public === true ? `${t.kind} · public · ${t.auth}` : t.public === 'unknown' ? `${t.kind} · ?` : t.kind;
    if (seen.has(label)) continue;
    seen.add(label);
    chips.push(`<span class="chip${t.public === true ? ' chip-public' : ''}">${esc(label)}</span>`);
  }
  return chips.join(' ');
}

/** A horizontal bar as inline SVG (scales with its box; no text inside). */
function bar(segments: { value: number; cls: string; title: string }[], max: number): string {
  let x = 0;
  const rects = segments
    .filter((s) => s.value > 0)
    .map((s) => {
      const w = max > 0 ? (s.value / max) * 100 : 0;
      const r = `<rect class="${s.cls}" x="${x.toFixed(3)}" y="0" width="${w.toFixed(3)}" height="10"><title>${esc(s.title)}</title></rect>`;
      x += w;
      return r;
    })
    .join('');
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-hidden="true"><rect class="track" x="0" y="0" width="100" height="10"></rect>${rects}</svg>`;
}

function renderRanking(result: Result, countByFn: Map<string, number>): string {
  if (result.functions.length === 0) return '<p class="muted">No functions found.</p>';
  const rows = result.functions.map((fn, i) => {
    const reasons = fn.risk.factors
      .slice(0, 3)
      .map((f) => `<li>${esc(f.description)} <span class="pts">+${esc(f.points)}</span></li>`)
      .join('');
    const n = countByFn.get(fn.id) ?? 0;
    const meta = [fn.provider, fn.runtime, fn.handler].filter(Boolean).map(esc).join(' · ');
    return `<tr class="fn-row" data-fn="${esc(fn.id)}">
<td class="rank" data-label="#">${i + 1}</td>
<td class="score" data-label="Score"><span class="score-num lvl-${esc(fn.risk.level)}">${esc(fn.risk.score)}</span>${bar([{ value: fn.risk.score, cls: `lvl-${fn.risk.level}`, title: `risk ${fn.risk.score}/100` }], 100)}</td>
<td data-label="Level"><span class="badge lvl-${esc(fn.risk.level)}">${esc(fn.risk.level)}</span></td>
<td class="fn-name" data-label="Function"><strong>${esc(fn.name)}</strong><div class="muted small">${meta}</div><div class="muted small mono">${esc(fn.where.file)}:${esc(fn.where.line)}</div></td>
<td class="wide" data-label="Triggers">${triggerChips(fn)}</td>
<td class="wide" data-label="Top reasons">${reasons ? `<ul class="reasons">${reasons}</ul>` : '<span class="muted">-</span>'}</td>
<td class="wide findings-cell" data-label="Findings"><button type="button" class="link show-fn" data-fn="${esc(fn.id)}"${n === 0 ? ' disabled' : ''}>${n} finding${n === 1 ? '' : 's'}</button></td>
</tr>`;
  });
  return `<div class="table-wrap"><table class="ranking" id="ranking">
<thead><tr><th>#</th><th>Score</th><th>Level</th><th>Function</th><th>Triggers</th><th>Top reasons</th><th>Findings</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

function renderChart(open: readonly Finding[]): string {
  if (open.length === 0) return '<p class="muted">No unsuppressed findings.</p>';
  const byCat = new Map<string, Record<Severity, number>>();
  for (const f of open) {
    let row = byCat.get(f.category);
    if (!row) {
      row = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
      byCat.set(f.category, row);
    }
    row[f.severity]++;
  }
  const total = (r: Record<Severity, number>) => SEVERITIES.reduce((n, s) => n + r[s], 0);
  // worst first: more critical, then more high, ... then more in total, then by name
  const bySeverityDesc = (a: Record<Severity, number>, b: Record<Severity, number>) => {
    for (const s of SEVERITIES) if (a[s] !== b[s]) return b[s] - a[s];
    return 0;
  };
  const cats = [...byCat.entries()].sort((a, b) => bySeverityDesc(a[1], b[1]) || total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1));
  const max = Math.max(...cats.map(([, r]) => total(r)));
  const rows = cats.map(([cat, r]) => {
    const t = total(r);
    const parts = SEVERITIES.filter((s) => r[s] > 0)
      .map((s) => `${r[s]} ${s}`)
      .join(', ');
    return `<li><button type="button" class="chart-row" data-cat="${esc(cat)}" aria-label="${esc(`${cat}: ${t} findings (${parts}); show them`)}">
<span class="chart-label">${esc(cat)}</span>${bar(
      SEVERITIES.map((s) => ({ value: r[s], cls: `sev-${s}`, title: `${cat}: ${r[s]} ${s}` })),
      max,
    )}<span class="chart-count">${t}</span></button></li>`;
  });
  const legend = SEVERITIES.map((s) => `<span class="legend-item"><span class="swatch sev-${s}"></span>${SEVERITY_LABEL[s]}</span>`).join(
    '',
  );
  return `<figure class="chart" id="chart"><figcaption class="legend">${legend}</figcaption><ul class="chart-rows">${rows.join('\n')}</ul></figure>`;
}

function renderSnippet(f: Finding): string {
  const s = f.snippet;
  if (!s || s.lines.length === 0) return '';
  const hitEnd = Math.max(f.location.line, f.location.endLine ?? f.location.line);
  const width = String(s.startLine + s.lines.length - 1).length;
  const body = s.lines
    .map((text, i) => {
      const n = s.startLine + i;
      const hit = n >= f.location.line && n <= hitEnd;
      return `<span class="line${hit ? ' hit' : ''}"><span class="ln">${String(n).padStart(width, ' ')}</span>${esc(text) || ' '}</span>`;
    })
    .join('');
  return `<pre class="snippet" aria-label="code at ${esc(f.location.file)} line ${esc(f.location.line)}"><code>${body}</code></pre>`;
}

function renderFlow(f: Finding): string {
  if (!f.flow || f.flow.length === 0) return '';
  const steps = f.flow
    .map((s, i) => {
      const role = i === 0 ? 'source' : i === (f.flow?.length ?? 0) - 1 ? 'sink' : 'step';
      return `<li class="flow-${role}"><span class="flow-role">${role}</span> <code class="loc">${esc(s.file)}:${esc(s.line)}:${esc(s.column)}</code> <span class="flow-note">${esc(s.note)}</span></li>`;
    })
    .join('');
  return `<div class="block"><h4>Taint flow</h4><ol class="flow">${steps}</ol></div>`;
}

function renderFinding(f: Finding, index: number, fnNames: Map<string, string>, metas: Map<string, RuleMeta>): string {
  const meta = metas.get(f.ruleId);
  const fnName = f.function ? (fnNames.get(f.function) ?? f.function) : null;
  const loc = `${f.location.file}:${f.location.line}${f.location.column > 1 ? `:${f.location.column}` : ''}`;
  const facts: string[] = [];
  if (fnName) facts.push(`<dt>Function</dt><dd>${esc(fnName)}</dd>`);
  if (f.resource) {
    const short = f.resource.slice(f.resource.lastIndexOf('#') + 1) || f.resource;
    facts.push(`<dt>Resource</dt><dd class="mono" title="${esc(f.resource)}">${esc(short)}</dd>`);
  }
  facts.push(`<dt>Category</dt><dd>${esc(f.category)}</dd>`);
  if (f.cwe.length) facts.push(`<dt>CWE</dt><dd>${f.cwe.map(esc).join(', ')}</dd>`);
  if (f.sas) facts.push(`<dt>OWASP SAS</dt><dd>${esc(f.sas)}</dd>`);
  if (f.suppressed && f.suppression) {
    const s = f.suppression;
    facts.push(
      `<dt>Suppressed</dt><dd>${esc(s.kind)}${s.reason ? `: ${esc(s.reason)}` : ''}${s.expires ? ` (until ${esc(s.expires)})` : ''}</dd>`,
    );
  }
  const remediation = remediationFor(f, meta)
    .map((r) => `<p><strong>${esc(r.label)}.</strong> ${escInline(r.text)}</p>`)
    .join('');
  const href = safeHref(f.helpUri);
  const docs = href
    ? `<a class="docs" href="${esc(href)}" target="_blank" rel="noopener noreferrer">${esc(f.ruleId)} documentation</a>`
    : '';
  const search = [f.ruleId, f.title, f.message, f.location.file, fnName ?? '', f.resource ?? '', f.category].join(' ').toLowerCase();
  return `<details class="finding sev-border-${f.severity}${f.suppressed ? ' is-suppressed' : ''}" id="finding-${index + 1}" data-sev="${f.severity}" data-cat="${esc(f.category)}" data-fn="${esc(f.function ?? '-')}" data-rule="${esc(f.ruleId)}" data-supp="${f.suppressed ? '1' : '0'}" data-search="${esc(search)}"${f.suppressed ? ' hidden' : ''}>
<summary><span class="badge sev-${f.severity}">${SEVERITY_LABEL[f.severity]}</span> <span class="rule mono">${esc(f.ruleId)}</span> <span class="title">${esc(f.title)}</span>${f.suppressed ? ' <span class="chip">suppressed</span>' : ''}
<span class="msg">${esc(f.message)}</span>
<code class="loc">${esc(loc)}</code>${fnName ? ` <span class="muted small">in ${esc(fnName)}</span>` : ''}</summary>
<div class="finding-body">
${renderSnippet(f)}
${renderFlow(f)}
<div class="cols"><dl class="facts">${facts.join('')}</dl>
<div class="block remediation"><h4>How to fix</h4>${remediation || '<p class="muted">See the rule documentation.</p>'}${docs ? `<p>${docs}</p>` : ''}</div></div>
</div>
</details>`;
}

function options(values: { value: string; label: string }[]): string {
  return values.map((v) => `<option value="${esc(v.value)}">${esc(v.label)}</option>`).join('');
}

function renderFilters(result: Result, fnNames: Map<string, string>): string {
  const count = (pick: (f: Finding) => string) => {
    const m = new Map<string, number>();
    for (const f of result.findings) m.set(pick(f), (m.get(pick(f)) ?? 0) + 1);
    return m;
  };
  const cats = [...count((f) => f.category).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const rules = [...count((f) => f.ruleId).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const fns = count((f) => f.function ?? '-');
  const fnOptions = result.functions
    .filter((fn) => fns.has(fn.id))
    .map((fn) => ({ value: fn.id, label: `${fn.name} (${fns.get(fn.id)})` }));
  for (const [id, n] of fns)
    if (id !== '-' && !result.functions.some((fn) => fn.id === id)) fnOptions.push({ value: id, label: `${fnNames.get(id) ?? id} (${n})` });
  if (fns.has('-')) fnOptions.push({ value: '-', label: `(no single function) (${fns.get('-')})` });
  const sevBoxes = SEVERITIES.map(
    (s) =>
      `<label class="sev-toggle"><input type="checkbox" name="sev" value="${s}" checked> <span class="badge sev-${s}">${SEVERITY_LABEL[s]}</span></label>`,
  ).join('');
  return `<form class="filters" id="filters" role="search" aria-label="Filter findings">
<fieldset class="sevs"><legend>Severity</legend>${sevBoxes}</fieldset>
<label>Category <select id="f-cat"><option value="">All</option>${options(cats.map(([c, n]) => ({ value: c, label: `${c} (${n})` })))}</select></label>
<label>Function <select id="f-fn"><option value="">All</option>${options(fnOptions)}</select></label>
<label>Rule <select id="f-rule"><option value="">All</option>${options(rules.map(([r, n]) => ({ value: r, label: `${r} (${n})` })))}</select></label>
<label class="grow">Search <input type="search" id="f-q" placeholder="message, file, rule…" autocomplete="off"></label>
<label class="check"><input type="checkbox" id="f-supp"> Show suppressed</label>
<div class="filter-actions"><button type="button" id="f-reset">Reset</button> <button type="button" id="f-expand">Expand all</button></div>
</form>`;
}

function renderDiagnostics(result: Result): string {
  const list = result.diagnostics.filter((d) => d.level !== 'info');
  if (list.length === 0) return '';
  const items = list
    .slice(0, 500)
    .map(
      (d) =>
        `<li><span class="badge diag-${esc(d.level)}">${esc(d.level)}</span> <code class="loc">${esc(d.file)}${d.line ? `:${esc(d.line)}` : ''}</code> ${esc(d.message)}${d.code ? ` <span class="muted small">(${esc(d.code)})</span>` : ''}</li>`,
    )
    .join('');
  const more = list.length > 500 ? `<p class="muted">${list.length - 500} more in the JSON report.</p>` : '';
  return `<section id="diagnostics"><details><summary><h2>Input problems (${list.length})</h2></summary><ul class="diags">${items}</ul>${more}</details></section>`;
}

function renderStale(result: Result): string {
  const stale = (
    result.summary.baseline as { stale?: { fingerprint?: string; ruleId?: string; file?: string; message?: string }[] } | undefined
  )?.stale;
  if (!Array.isArray(stale) || stale.length === 0) return '';
  const items = stale
    .slice(0, 200)
    .map(
      (e) =>
        `<li><span class="mono">${esc(e.ruleId ?? '?')}</span> ${e.file ? `<code class="loc">${esc(e.file)}</code> ` : ''}${esc(e.message ?? '')} <span class="muted small mono">${esc(String(e.fingerprint ?? '').slice(0, 12))}</span></li>`,
    )
    .join('');
  return `<section id="stale"><details><summary><h2>Stale baseline entries (${stale.length})</h2></summary><p class="muted">These baseline entries match no finding any more: prune them from the baseline file.</p><ul class="diags">${items}</ul></details></section>`;
}

const CSS = `
:root{--bg:#f6f7f9;--card:#fff;--fg:#1c2230;--muted:#5d6778;--line:#dde1e8;--code:#f1f3f6;--hit:#fff4d6;--accent:#2459c7;
--critical:#b3123c;--high:#e0531f;--medium:#d49b00;--low:#2f73d8;--info:#7a8496;--none:#2e9b5d;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--card:#1b2029;--fg:#e4e8ef;--muted:#9aa4b5;--line:#2d3441;--code:#151a22;--hit:#3a3219;--accent:#7aa5ff}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.top{background:#151b2b;color:#f3f5f9;padding:20px 24px}
header.top h1{margin:0;font-size:22px;font-weight:650;letter-spacing:.2px}
header.top .sub{color:#b8c1d3;font-size:13px;margin-top:2px;word-break:break-all}
main{max-width:1280px;margin:0 auto;padding:20px 24px 48px}
section{margin-top:24px}
h2{font-size:18px;margin:0 0 12px;display:inline-block}
h4{margin:12px 0 6px;font-size:13px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:12px}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;border-top:4px solid var(--line)}
.stat .n{font-size:28px;font-weight:700;line-height:1.1}.stat .k{color:var(--muted);font-size:13px}
.stat-critical{border-top-color:var(--critical)}.stat-high{border-top-color:var(--high)}.stat-medium{border-top-color:var(--medium)}
.stat-low{border-top-color:var(--low)}.stat-info{border-top-color:var(--info)}.stat-none{border-top-color:var(--none)}
.muted{color:var(--muted)}.small{font-size:12.5px}.mono,code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
code{font-size:.92em;background:var(--code);padding:1px 4px;border-radius:4px;word-break:break-all}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:650;color:#fff;background:var(--info);white-space:nowrap;text-transform:capitalize}
.sev-critical,.lvl-critical{background:var(--critical)}.sev-high,.lvl-high{background:var(--high)}.sev-medium,.lvl-medium{background:var(--medium)}
.sev-low,.lvl-low{background:var(--low)}.sev-info{background:var(--info)}.lvl-none{background:var(--none)}
.diag-error{background:var(--critical)}.diag-warning{background:var(--medium)}
svg .sev-critical,svg .lvl-critical{fill:var(--critical)}svg .sev-high,svg .lvl-high{fill:var(--high)}svg .sev-medium,svg .lvl-medium{fill:var(--medium)}
svg .sev-low,svg .lvl-low{fill:var(--low)}svg .sev-info{fill:var(--info)}svg .lvl-none{fill:var(--none)}svg .track{fill:var(--code)}
.chip{display:inline-block;border:1px solid var(--line);border-radius:6px;padding:0 6px;font-size:12.5px;margin:1px 0;white-space:nowrap}
.chip-public{border-color:var(--high);color:var(--high);font-weight:600}
.table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table.ranking{border-collapse:collapse;width:100%}
.ranking th,.ranking td{text-align:left;vertical-align:top;padding:10px 12px;border-bottom:1px solid var(--line)}
.ranking th{font-size:12.5px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);background:var(--card)}
.ranking tr:last-child td{border-bottom:0}
.ranking .rank{color:var(--muted);width:2em}.ranking .score{width:120px}
.score-num{display:inline-block;min-width:2.4em;text-align:center;font-weight:700;font-size:17px;color:#fff;border-radius:6px;padding:0 4px;margin-bottom:4px}
.ranking .bar{display:block;width:100px;height:6px}
.reasons{margin:0;padding-left:18px}.reasons li{margin:0 0 2px}.pts{color:var(--muted);font-size:12px;white-space:nowrap}
button{font:inherit;cursor:pointer}button.link{background:none;border:0;color:var(--accent);padding:0;text-decoration:underline;white-space:nowrap}
button.link:disabled{color:var(--muted);text-decoration:none;cursor:default}
.grid2{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;align-items:start}
.chart{margin:0}.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;color:var(--muted);margin-bottom:10px}
.legend-item{display:inline-flex;align-items:center;gap:6px}.swatch{width:12px;height:12px;border-radius:3px;display:inline-block}
.chart-rows{list-style:none;margin:0;padding:0}
.chart-row{display:grid;grid-template-columns:minmax(120px,210px) 1fr 3em;align-items:center;gap:10px;width:100%;background:none;border:0;color:inherit;padding:4px 2px;border-radius:6px;text-align:left}
.chart-row:hover,.chart-row:focus-visible{background:var(--code)}
.chart-label{font-size:13.5px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chart-row .bar{width:100%;height:16px;display:block}.chart-count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.filters{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-end;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin-bottom:12px;box-shadow:0 2px 6px rgba(0,0,0,.06)}
.filters label{display:flex;flex-direction:column;font-size:12.5px;color:var(--muted);gap:3px}
.filters label.check{flex-direction:row;align-items:center;gap:6px;color:var(--fg);font-size:14px}
.filters select,.filters input[type=search]{font:inherit;font-size:14px;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);max-width:240px}
.filters .grow{flex:1 1 200px}.filters .grow input{max-width:none;width:100%}
.sevs{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px}.sevs legend{font-size:12.5px;color:var(--muted);padding:0;margin-bottom:3px}
.sev-toggle{flex-direction:row!important;align-items:center}.sev-toggle input{margin:0 2px 0 0}
.sev-toggle input:not(:checked)+.badge{opacity:.35}
.filter-actions button{border:1px solid var(--line);background:var(--bg);color:var(--fg);border-radius:6px;padding:5px 10px;font-size:13.5px}
.count{color:var(--muted);font-size:13.5px;margin:0 0 8px}
details.finding{scroll-margin-top:150px;background:var(--card);border:1px solid var(--line);border-left:5px solid var(--info);border-radius:8px;margin-bottom:8px}
.sev-border-critical{border-left-color:var(--critical)!important}.sev-border-high{border-left-color:var(--high)!important}
.sev-border-medium{border-left-color:var(--medium)!important}.sev-border-low{border-left-color:var(--low)!important}
details.finding.is-suppressed{opacity:.7}
details.finding>summary{cursor:pointer;padding:10px 14px;list-style:none;display:block}
details.finding>summary::-webkit-details-marker{display:none}
details.finding>summary::before{content:"▸";color:var(--muted);margin-right:6px}
details.finding[open]>summary::before{content:"▾"}
.finding .rule{font-weight:700;font-size:13.5px}.finding .title{font-weight:600}
.finding .msg{display:block;margin:4px 0 2px;overflow-wrap:anywhere}
.finding-body{padding:0 14px 12px;border-top:1px solid var(--line)}
pre.snippet{margin:12px 0 0;background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 0;overflow-x:auto;font-size:13px;line-height:1.45}
pre.snippet code{background:none;padding:0;word-break:normal}
.snippet .line{display:block;padding:0 12px 0 0;white-space:pre}.snippet .line.hit{background:var(--hit);box-shadow:inset 3px 0 0 var(--high)}
.snippet .ln{display:inline-block;color:var(--muted);padding:0 12px;user-select:none;text-align:right}
.flow{margin:0;padding-left:22px}.flow li{margin:3px 0}.flow-role{font-size:11.5px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);display:inline-block;min-width:4.2em}
.flow-source .flow-role{color:var(--high)}.flow-sink .flow-role{color:var(--critical);font-weight:700}
.cols{display:grid;grid-template-columns:minmax(200px,1fr) 2fr;gap:8px 24px}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;align-content:start;margin:12px 0 0;font-size:13.5px}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.remediation p{margin:4px 0}a{color:var(--accent)}
.diags{padding-left:18px}.diags li{margin:3px 0;overflow-wrap:anywhere}
#diagnostics summary,#stale summary{cursor:pointer}
footer{color:var(--muted);font-size:12.5px;text-align:center;padding:16px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}.cols{grid-template-columns:1fr}}
@media (max-width:700px){main{padding:12px 12px 40px}header.top{padding:16px 14px}
.table-wrap{background:none;border:0;overflow:visible}
table.ranking,.ranking tbody{display:block;width:100%}.ranking thead{display:none}
.ranking tr{display:grid;grid-template-columns:auto auto minmax(0,1fr);gap:2px 10px;align-items:start;background:var(--card);border:1px solid var(--line);border-radius:10px;margin-bottom:10px;padding:10px 8px}
.ranking td{display:block;border:0;padding:2px 4px}.ranking td.rank{display:none}
.ranking td.wide{grid-column:1/-1}
.ranking td.wide::before{content:attr(data-label);display:block;color:var(--muted);font-size:11.5px;text-transform:uppercase;letter-spacing:.4px;margin-top:4px}
.ranking .score{width:auto}.ranking .bar{width:48px}.findings-cell::before{display:none!important}
.chart-row{grid-template-columns:minmax(90px,40%) 1fr 2.2em}
.filters{position:static}.filters label{flex:1 1 45%}.filters select{max-width:none;width:100%}}
@media print{.filters,.filter-actions,.show-fn{display:none}details.finding{break-inside:avoid}}
`;

const JS = `(function(){
"use strict";
var d=document,$=function(s){return d.getElementById(s)};
var items=[].slice.call(d.querySelectorAll("details.finding"));
var sev=[].slice.call(d.querySelectorAll('input[name="sev"]'));
var cat=$("f-cat"),fn=$("f-fn"),rule=$("f-rule"),q=$("f-q"),supp=$("f-supp"),count=$("f-count"),none=$("f-none");
if(!cat)return;
function apply(){
var on={};sev.forEach(function(b){if(b.checked)on[b.value]=1});
var text=q.value.trim().toLowerCase(),n=0;
items.forEach(function(el){var x=el.dataset;
var ok=on[x.sev]&&(!cat.value||x.cat===cat.value)&&(!fn.value||x.fn===fn.value)&&(!rule.value||x.rule===rule.value)&&(supp.checked||x.supp!=="1")&&(!text||x.search.indexOf(text)>=0);
el.hidden=!ok;if(ok)n++});
count.textContent=n+" of "+items.length+" findings shown";none.hidden=n>0}
[cat,fn,rule,supp].concat(sev).forEach(function(e){e.addEventListener("change",apply)});
q.addEventListener("input",apply);
$("filters").addEventListener("submit",function(e){e.preventDefault()});
$("f-reset").addEventListener("click",function(){sev.forEach(function(b){b.checked=true});cat.value=fn.value=rule.value=q.value="";supp.checked=false;apply()});
$("f-expand").addEventListener("click",function(){var open=this.textContent==="Expand all";items.forEach(function(el){if(!el.hidden)el.open=open});this.textContent=open?"Collapse all":"Expand all"});
function go(sel,val){sel.value=val;apply();$("findings").scrollIntoView({behavior:"smooth",block:"start"})}
[].slice.call(d.querySelectorAll(".show-fn")).forEach(function(b){b.addEventListener("click",function(){go(fn,b.dataset.fn)})});
[].slice.call(d.querySelectorAll(".chart-row")).forEach(function(b){b.addEventListener("click",function(){go(cat,b.dataset.cat)})});
apply()})();`;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

export function formatHtml(result: Result, options: HtmlOptions = {}): string {
  const metas = new Map((options.rules ?? []).map((m) => [m.id, m]));
  const fnNames = new Map(result.functions.map((f) => [f.id, f.name]));
  const open = result.findings.filter((f) => !f.suppressed);
  const countByFn = new Map<string, number>();
  for (const f of open) if (f.function) countByFn.set(f.function, (countByFn.get(f.function) ?? 0) + 1);
  const s = result.summary;
  const title = options.title ?? `fnguard report: ${basename(result.root)}`;
  const worst: RiskLevel = result.functions[0]?.risk.level ?? 'none';

  const stats = [
    ...SEVERITIES.map(
      (k) => `<div class="stat stat-${k}"><div class="n">${esc(s.bySeverity[k] ?? 0)}</div><div class="k">${SEVERITY_LABEL[k]}</div></div>`,
    ),
    `<div class="stat"><div class="n">${esc(s.functions)}</div><div class="k">Functions</div></div>`,
    `<div class="stat stat-${esc(worst)}"><div class="n">${esc(s.maxRisk ?? 0)}</div><div class="k">Max risk (${esc(worst)})</div></div>`,
    `<div class="stat"><div class="n">${esc(s.suppressed)}</div><div class="k">Suppressed</div></div>`,
  ].join('');

  const findings = result.findings.map((f, i) => renderFinding(f, i, fnNames, metas)).join('\n');
  const errors = result.diagnostics.filter((d) => d.level === 'error').length;

  const body = `<header class="top"><h1>${esc(title)}</h1>
<div class="sub">${esc(result.root)} · fnguard ${esc(result.tool.version)} · ${esc(s.filesScanned)} files · ${esc(s.durationMs)} ms${errors ? ` · ${errors} input error${errors === 1 ? '' : 's'}` : ''}</div></header>
<main>
<section id="summary" aria-label="Summary"><div class="cards">${stats}</div></section>
<section id="functions"><h2>Functions by risk</h2>${renderRanking(result, countByFn)}</section>
<section id="overview"><h2>Findings by category and severity</h2><div class="card">${renderChart(open)}</div></section>
<section id="findings"><h2>Findings</h2>
${renderFilters(result, fnNames)}
<p class="count" id="f-count" aria-live="polite">${open.length} of ${result.findings.length} findings shown</p>
<p class="muted" id="f-none"${open.length > 0 ? ' hidden' : ''}>No finding matches these filters.</p>
<div id="finding-list">${findings}</div>
</section>
${renderStale(result)}
${renderDiagnostics(result)}
</main>
<footer>Generated by fnguard ${esc(result.tool.version)}. This page is self-contained and works offline.</footer>`;

  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${sha256(CSS)}'`,
    `script-src 'sha256-${sha256(JS)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="fnguard ${esc(result.tool.version)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script>${JS}</script>
</body>
</html>
`;
}
