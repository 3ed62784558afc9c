// How bench:gateway's samples become medians, ratios to the direct call and to Portkey, and a table.
import { median } from '../report-model.js';

export const METRICS = {
  latency: [
    ['p50', 'latency p50 (ms)'],
    ['p99', 'latency p99 (ms)'],
  ],
  requestsPerSecond: [
    ['rps', 'requests/s, 64 in flight'],
    ['cpuUsPerRequest', 'gateway CPU per request (µs)'],
  ],
  requestsPerSecondCold: [['coldRps', 'requests/s in its first second (not warmed)']],
  streamEvents: [['eventsPerSecond', 'stream events/s']],
  timeToFirstDelta: [['ttfd', 'time to first delta (ms)']],
  peakRss: [['rssMb', 'gateway peak RSS, 200 streams (MB)']],
};

const round3 = (value) => (value === undefined ? undefined : Math.round(value * 1000) / 1000);

/** Median of each figure: `results[api][target][figure] = { median, min, max, n }`. */
export function summarize(samples) {
  const results = {};
  for (const [api, byTarget] of Object.entries(samples)) {
    results[api] = {};
    for (const [target, runs] of Object.entries(byTarget)) {
      const figures = {};
      for (const [metric, fields] of Object.entries(METRICS)) {
        for (const [key] of fields) {
          const values = (runs[metric] ?? []).map((run) => run[key]).filter((value) => typeof value === 'number' && Number.isFinite(value));
          if (values.length > 0) figures[key] = { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
        }
      }
      results[api][target] = figures;
    }
  }
  return results;
}

/**
 * For each gateway and API: against the direct call, latency and time to first delta as ms added and
 * as a ratio (gateway ÷ direct, > 1 slower), requests/s and events/s as gateway ÷ direct (< 1 fewer);
 * against Portkey, every figure as HyperAgent ÷ Portkey.
 */
export function ratiosOf(results) {
  const ratios = {};
  for (const [api, byTarget] of Object.entries(results)) {
    const direct = byTarget.direct;
    const portkey = byTarget.portkey;
    for (const target of ['hyperagentBare', 'hyperagent']) {
      const own = byTarget[target];
      if (own === undefined) continue;
      const m = (figures, key) => figures?.[key]?.median;
      const entry = {};
      if (direct !== undefined) {
        entry.toDirect = {
          latencyP50: round3(m(own, 'p50') / m(direct, 'p50')),
          addedLatencyP50Ms: round3(m(own, 'p50') - m(direct, 'p50')),
          latencyP99: round3(m(own, 'p99') / m(direct, 'p99')),
          requestsPerSecond: round3(m(own, 'rps') / m(direct, 'rps')),
          coldRequestsPerSecond: round3(m(own, 'coldRps') / m(direct, 'coldRps')),
          streamEventsPerSecond: round3(m(own, 'eventsPerSecond') / m(direct, 'eventsPerSecond')),
          addedTimeToFirstDeltaMs: round3(m(own, 'ttfd') - m(direct, 'ttfd')),
        };
      }
      if (portkey !== undefined && Object.keys(portkey).length > 0) {
        entry.toPortkey = {
          latencyP50: round3(m(own, 'p50') / m(portkey, 'p50')),
          requestsPerSecond: round3(m(own, 'rps') / m(portkey, 'rps')),
          streamEventsPerSecond: round3(m(own, 'eventsPerSecond') / m(portkey, 'eventsPerSecond')),
          timeToFirstDelta: round3(m(own, 'ttfd') / m(portkey, 'ttfd')),
          peakRss: round3(m(own, 'rssMb') / m(portkey, 'rssMb')),
          cpuPerRequest: round3(m(own, 'cpuUsPerRequest') / m(portkey, 'cpuUsPerRequest')),
        };
      }
      (ratios[api] ??= {})[target] = entry;
    }
  }
  return ratios;
}

function format(key, value) {
  if (value === undefined) return '–';
  if (key === 'rps' || key === 'coldRps' || key === 'eventsPerSecond') return Math.round(value).toLocaleString('en-US');
  if (key === 'rssMb' || key === 'cpuUsPerRequest') return value.toFixed(0);
  return value < 1 ? value.toFixed(3) : value.toFixed(2);
}

/** One Markdown table per API: a row per target, medians with min–max. */
export function formatTables(results, labels, apiLabels) {
  const columns = Object.values(METRICS).flat();
  let out = '';
  for (const [api, byTarget] of Object.entries(results)) {
    out += `\n${apiLabels[api]}\n\n| target | ${columns.map(([, title]) => title).join(' | ')} |\n| --- |${columns.map(() => ' ---: |').join('')}\n`;
    for (const [target, figures] of Object.entries(byTarget)) {
      const cells = columns.map(([key]) => {
        const f = figures[key];
        return f === undefined ? '–' : f.n > 1 ? `${format(key, f.median)} (${format(key, f.min)}–${format(key, f.max)})` : format(key, f.median);
      });
      out += `| ${labels[target]} | ${cells.join(' | ')} |\n`;
    }
  }
  return out;
}
