// The benchmark report as Markdown tables, ready to paste into the README.
import { CLIENTS, METRICS } from './report-model.js';

function fields() {
  return Object.values(METRICS).flatMap((metric) => metric.fields);
}

function row(cells) {
  return `| ${cells.join(' | ')} |\n`;
}

function cell(result, field) {
  if (!result) return '—';
  if (result.error) return 'failed';
  const { median, min, max } = result;
  return min === max ? field.format(median) : `${field.format(median)} (${field.format(min)}–${field.format(max)})`;
}

export function formatReport(report) {
  const clients = Object.keys(report.results).filter((client) => CLIENTS[client]);
  const shown = fields().filter((field) => clients.some((client) => report.results[client][field.name]));
  const m = report.machine;
  let out = '\n';
  const more = Object.entries(report.roundsByMetric ?? {}).filter(([, n]) => n !== report.rounds);
  out += `Median over ${report.rounds} rounds${more.map(([metric, n]) => `, ${metric} ${n}`).join('')} (min–max), each measurement in a fresh process. `;
  out += `Machine: ${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}). `;
  out += `openai ${m.versions.openai}, ai ${m.versions.ai} + @ai-sdk/openai ${m.versions['@ai-sdk/openai']}, undici ${m.versions.undici}, eventsource-parser ${m.versions['eventsource-parser']}. `;
  out += `Command: \`${report.command}\` (${report.durationSeconds} s).\n\n`;

  out += row(['client', ...shown.map((field) => field.title)]);
  out += row(['---', ...shown.map(() => '---:')]);
  for (const client of clients) out += row([CLIENTS[client].label, ...shown.map((field) => cell(report.results[client][field.name], field))]);

  out += '\nRatio to the floor of the same wire protocol, median of per-round ratios; every ratio reads "times worse than the floor" (> 1: slower or bigger, < 1: better):\n\n';
  out += row(['client', ...shown.map((field) => field.name)]);
  out += row(['---', ...shown.map(() => '---:')]);
  for (const client of clients) {
    if (CLIENTS[client].floor === client) continue;
    out += row([CLIENTS[client].label, ...shown.map((field) => (typeof report.ratios[field.name]?.[client] === 'number' ? report.ratios[field.name][client].toFixed(2) : '—'))]);
  }

  if (report.targets.length > 0) {
    out += '\nTargets (HyperAgent with the retry, rate-limit, logging and cost plugins on):\n\n';
    out += row(['client', 'target', 'measured', 'met']);
    out += row(['---', '---', '---', '---']);
    for (const target of report.targets) out += row([CLIENTS[target.client].label, target.target, target.figure, target.met ? 'yes' : 'no']);
  }
  return `${out}\n`;
}
