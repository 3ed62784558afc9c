// HyperAgent through the kernel: a config file (written by run.js) loaded by createHyperAgent, the
// backend it names, and whatever plugins it lists.
import { createHyperAgent, user } from '../../dist/index.js';
import { MAX_TOKENS, PROMPT } from './common.js';

export async function create({ configPath }) {
  const agent = await createHyperAgent({ config: configPath });
  const backend = agent.backend();
  const messages = [user(PROMPT)];
  const options = { maxTokens: MAX_TOKENS };
  return {
    backend,
    async complete() {
      const output = await backend.infer(messages, [], options);
      if (!output.content.startsWith('Hello!')) throw new Error(`hyperagent: unexpected answer ${output.content.slice(0, 100)}`);
    },
    async stream(onFirstDelta) {
      let deltas = 0;
      let done = false;
      for await (const event of backend.inferStream(messages, [], options)) {
        if (event.type === 'text-delta') {
          if (deltas === 0) onFirstDelta();
          deltas += 1;
        } else if (event.type === 'done') done = true;
        else if (event.type === 'error') throw event.error;
      }
      if (!done) throw new Error('hyperagent: no done event');
      return deltas;
    },
  };
}
