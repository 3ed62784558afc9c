// The clients, the metrics, and how raw samples become medians, ratios to the floor and target checks.

/**
 * Every client runs in its own process. `floor` names the raw client of the same wire protocol that
 * its ratios are taken against.
 */
export const CLIENTS = {
  floor: { label: 'floor: undici + eventsource-parser (OpenAI wire)', module: 'floor.js', wire: 'openai', floor: 'floor' },
  hyperagent: { label: 'HyperAgent, OpenAI, 4 plugins', module: 'hyperagent.js', wire: 'openai', floor: 'floor', plugins: true },
  hyperagentBare: { label: 'HyperAgent, OpenAI, bare kernel', module: 'hyperagent.js', wire: 'openai', floor: 'floor', plugins: false },
  openai: { label: 'openai SDK', module: 'openai-sdk.js', wire: 'openai', floor: 'floor' },
  aiSdk: { label: 'Vercel AI SDK (ai + @ai-sdk/openai)', module: 'ai-sdk.js', wire: 'openai', floor: 'floor' },
  floorAnthropic: { label: 'floor: undici + eventsource-parser (Anthropic wire)', module: 'floor-anthropic.js', wire: 'anthropic', floor: 'floorAnthropic' },
  hyperagentAnthropic: { label: 'HyperAgent, Anthropic, 4 plugins', module: 'hyperagent.js', wire: 'anthropic', floor: 'floorAnthropic', plugins: true },
  hyperagentAnthropicBare: { label: 'HyperAgent, Anthropic, bare kernel', module: 'hyperagent.js', wire: 'anthropic', floor: 'floorAnthropic', plugins: false },
};

const ms = (value) => (value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0));
const count = (value) => Math.round(value).toLocaleString('en-US');
const mb = (value) => value.toFixed(0);

/**
 * Each metric's fields. `better` says which way is good; every ratio is turned so that it reads
 * "times worse than the floor": > 1 means slower (or bigger) than the floor, < 1 better.
 */
export const METRICS = {
  latency: {
    fields: [
      { key: 'p50', name: 'latencyP50', title: 'latency p50 (ms)', better: 'lower', format: ms },
      { key: 'p99', name: 'latencyP99', title: 'latency p99 (ms)', better: 'lower', format: ms },
    ],
  },
  firstCalls: { fields: [{ key: 'firstP50', name: 'firstCallsP50', title: 'first 300 calls p50 (ms)', better: 'lower', format: ms }] },
  requestsPerSecond: { fields: [{ key: 'rps', name: 'requestsPerSecond', title: 'requests/s, 64 in flight', better: 'higher', format: count }] },
  streamEvents: { fields: [{ key: 'eventsPerSecond', name: 'streamEventsPerSecond', title: 'stream events/s', better: 'higher', format: count }] },
  timeToFirstDelta: { fields: [{ key: 'ttfd', name: 'timeToFirstDelta', title: 'time to first delta (ms)', better: 'lower', format: ms }] },
  peakRss: { fields: [{ key: 'rssMb', name: 'peakRss', title: 'peak RSS, 200 streams (MB)', better: 'lower', format: mb }] },
  coldStart: {
    fields: [
      { key: 'coldMs', name: 'coldStart', title: 'cold start (ms)', better: 'lower', format: ms },
      { key: 'firstResponseMs', name: 'coldFirstResponse', title: 'cold start to first response (ms)', better: 'lower', format: ms },
    ],
  },
};

export const RATIO_DIRECTION =
  'Each ratio compares a client with the raw floor of the same wire protocol in the same round (median over rounds), turned so that > 1 is worse: ' +
  'client ÷ floor for latency, time to first delta, peak RSS and cold start; floor ÷ client for requests/s and stream events/s.';

export function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summary(values) {
  if (values.length === 0) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** The median of a field per round (cold start has several samples a round). */
function perRound(samples, key) {
  const byRound = new Map();
  for (const sample of samples) {
    if (sample.error || typeof sample[key] !== 'number') continue;
    if (!byRound.has(sample.round)) byRound.set(sample.round, []);
    byRound.get(sample.round).push(sample[key]);
  }
  return new Map([...byRound].map(([round, values]) => [round, median(values)]));
}

/**
 * `results[client][name]`: median, min and max over every sample. `ratios[name][client]`: the
 * median over rounds of the client's figure against its floor's in the same round, turned so that
 * > 1 is worse than the floor.
 */
export function ratioOf(report, clients, metrics) {
  const results = {};
  const ratios = {};
  const rounds = {};
  for (const client of clients) {
    results[client] = {};
    rounds[client] = {};
    for (const metric of metrics) {
      const samples = report.samples[client][metric];
      for (const field of METRICS[metric].fields) {
        const values = samples.filter((sample) => !sample.error).map((sample) => sample[field.key]);
        results[client][field.name] = summary(values) ?? { error: samples.find((sample) => sample.error)?.error ?? 'no samples' };
        rounds[client][field.name] = perRound(samples, field.key);
      }
    }
  }
  for (const metric of metrics) {
    for (const field of METRICS[metric].fields) {
      ratios[field.name] = {};
      for (const client of clients) {
        const floor = CLIENTS[client].floor;
        if (client === floor || !rounds[floor]) continue;
        const paired = [];
        for (const [round, value] of rounds[client][field.name]) {
          const base = rounds[floor][field.name].get(round);
          if (base === undefined || base === 0 || value === 0) continue;
          paired.push(field.better === 'lower' ? value / base : base / value);
        }
        ratios[field.name][client] = paired.length > 0 ? round3(median(paired)) : null;
      }
    }
  }
  return { results, ratios, rounds };
}

function round3(value) {
  return Math.round(value * 1000) / 1000;
}

/** The targets, for each HyperAgent client with all four plugins on. */
export function checkTargets(results, ratios) {
  const targets = [];
  const med = (client, name) => results[client]?.[name]?.median;
  for (const client of ['hyperagent', 'hyperagentAnthropic']) {
    if (!results[client]) continue;
    const floor = CLIENTS[client].floor;
    const add = (target, figure, met) => targets.push({ client, target, figure, met: met === undefined ? null : met });
    const ratio = (name) => ratios[name]?.[client];
    const defined = (...values) => values.every((value) => typeof value === 'number' && Number.isFinite(value));

    // Issue "Performance after the guarantees": each figure with all four plugins on, against the floor of the same wire.
    const events = ratio('streamEventsPerSecond');
    if (defined(events)) add('stream events/s ≤ 1.2 × worse than floor', `${events.toFixed(2)} × floor`, events <= 1.2);
    const [own, sdk] = [med(client, 'streamEventsPerSecond'), med('openai', 'streamEventsPerSecond')];
    if (defined(own, sdk)) add('stream events/s ≥ 3 × openai SDK', `${(own / sdk).toFixed(2)} × openai SDK`, own / sdk >= 3);
    const rps = ratio('requestsPerSecond');
    if (defined(rps)) add('requests/s (64 in flight) ≤ 1.1 × worse than floor', `${rps.toFixed(2)} × floor`, rps <= 1.1);
    const p50 = ratio('latencyP50');
    if (defined(p50)) add('latency p50 ≤ 1.2 × floor', `${p50.toFixed(2)} × floor`, p50 <= 1.2);
    const [ttfd, ttfdFloor] = [med(client, 'timeToFirstDelta'), med(floor, 'timeToFirstDelta')];
    if (defined(ttfd, ttfdFloor)) add('time to first delta ≤ floor + 0.1 ms', `floor ${sign(ttfd - ttfdFloor)} ms`, ttfd - ttfdFloor <= 0.1);
    const rss = ratio('peakRss');
    if (defined(rss)) add('peak RSS, 200 streams ≤ 1.2 × floor', `${rss.toFixed(2)} × floor`, rss <= 1.2);
    const [cold, sdkCold] = [med(client, 'coldStart'), med('openai', 'coldStart')];
    if (defined(cold, sdkCold)) add("cold start ≤ openai SDK's import", `${cold.toFixed(1)} ms vs ${sdkCold.toFixed(1)} ms`, cold <= sdkCold);
  }
  return targets;
}

function sign(value) {
  return `${value >= 0 ? '+' : '−'} ${Math.abs(value).toFixed(3)}`;
}
