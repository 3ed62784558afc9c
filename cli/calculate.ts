/**
 * A small arithmetic evaluator for the `calculate` tool: numbers, `+ - * / %`, `^` or `**`
 * (right-associative), parentheses, the constants `pi` and `e` and a few functions. A
 * recursive-descent parser over a token list; nothing is ever passed to `eval`.
 */
export class CalculationError extends Error {
  override name = 'CalculationError';
}

const FUNCTIONS: Readonly<Record<string, { readonly arity: readonly [number, number]; readonly apply: (...args: number[]) => number }>> = {
  sqrt: { arity: [1, 1], apply: Math.sqrt },
  abs: { arity: [1, 1], apply: Math.abs },
  round: { arity: [1, 1], apply: Math.round },
  floor: { arity: [1, 1], apply: Math.floor },
  ceil: { arity: [1, 1], apply: Math.ceil },
  ln: { arity: [1, 1], apply: Math.log },
  log: { arity: [1, 1], apply: Math.log10 },
  exp: { arity: [1, 1], apply: Math.exp },
  sin: { arity: [1, 1], apply: Math.sin },
  cos: { arity: [1, 1], apply: Math.cos },
  tan: { arity: [1, 1], apply: Math.tan },
  min: { arity: [1, Infinity], apply: Math.min },
  max: { arity: [1, Infinity], apply: Math.max },
};

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

export const MAX_EXPRESSION_LENGTH = 1000;
const MAX_DEPTH = 64;

type Token = { readonly kind: 'number'; readonly value: number; readonly at: number } | { readonly kind: 'name' | 'op'; readonly text: string; readonly at: number };

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*/%^(),]))/y;

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const at = TOKEN.lastIndex;
    if (/^\s*$/.test(expression.slice(at))) break;
    const match = TOKEN.exec(expression);
    if (!match) {
      const position = at + (expression.slice(at).length - expression.slice(at).trimStart().length);
      throw new CalculationError(`unexpected "${expression[position]}" at position ${position + 1}`);
    }
    const start = TOKEN.lastIndex - match[0].trimStart().length;
    if (match[1] !== undefined) tokens.push({ kind: 'number', value: Number(match[1]), at: start });
    else if (match[2] !== undefined) tokens.push({ kind: 'name', text: match[2].toLowerCase(), at: start });
    else tokens.push({ kind: 'op', text: match[3] === '**' ? '^' : match[3], at: start });
  }
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) throw new CalculationError('the expression is empty');
    const value = this.expression();
    const extra = this.tokens[this.index];
    if (extra) throw new CalculationError(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token?.kind === 'op' && token.text === text;
  }

  private expect(text: string): void {
    if (this.isOp(text)) {
      this.index += 1;
      return;
    }
    const token = this.peek();
    throw new CalculationError(token ? `expected "${text}" but found ${describe(token)} at position ${token.at + 1}` : `expected "${text}" at the end`);
  }

  private nested<T>(parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new CalculationError(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private expression(): number {
    let value = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.tokens[this.index++] as { text: string }).text;
      const right = this.term();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  private term(): number {
    let value = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.tokens[this.index++] as { text: string }).text;
      const right = this.unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculationError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  }

  // Unary minus binds looser than `^`, as in mathematics: -2^2 is -4.
  private unary(): number {
    if (this.isOp('-') || this.isOp('+')) {
      const negative = this.isOp('-');
      this.index += 1;
      const value = this.nested(() => this.unary());
      return negative ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.index += 1;
    return base ** this.nested(() => this.unary());
  }

  private primary(): number {
    const token = this.peek();
    if (!token) throw new CalculationError('the expression ends too early');
    this.index += 1;
    if (token.kind === 'number') return token.value;
    if (token.kind === 'op' && token.text === '(') {
      const value = this.nested(() => this.expression());
      this.expect(')');
      return value;
    }
    if (token.kind === 'name') {
      if (Object.hasOwn(CONSTANTS, token.text)) return CONSTANTS[token.text];
      if (Object.hasOwn(FUNCTIONS, token.text)) return this.call(token.text, token.at);
      const known = [...Object.keys(CONSTANTS), ...Object.keys(FUNCTIONS)].join(', ');
      throw new CalculationError(`unknown name "${token.text}" at position ${token.at + 1} (known: ${known})`);
    }
    throw new CalculationError(`unexpected ${describe(token)} at position ${token.at + 1}`);
  }

  private call(name: string, at: number): number {
    const { arity, apply } = FUNCTIONS[name];
    this.expect('(');
    const args: number[] = [];
    if (!this.isOp(')')) {
      args.push(this.nested(() => this.expression()));
      while (this.isOp(',')) {
        this.index += 1;
        args.push(this.nested(() => this.expression()));
      }
    }
    this.expect(')');
    if (args.length < arity[0] || args.length > arity[1]) {
      const expected = arity[0] === arity[1] ? `${arity[0]}` : `at least ${arity[0]}`;
      throw new CalculationError(`${name}() at position ${at + 1} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${args.length}`);
    }
    return apply(...args);
  }
}

function describe(token: Token): string {
  return token.kind === 'number' ? `the number ${token.value}` : `"${token.text}"`;
}

/** The value of an arithmetic expression such as `(2 + 3) * 4 ^ 2 / sqrt(16)`. Throws a CalculationError naming the problem. */
export function calculate(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH) throw new CalculationError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const value = new Parser(tokenize(expression)).parse();
  if (Number.isNaN(value)) throw new CalculationError('the result is not a number (e.g. the square root of a negative number)');
  if (!Number.isFinite(value)) throw new CalculationError('the result is too large');
  return value;
}

/** A result as people write it: 15 significant digits, so 0.1 + 0.2 is 0.3. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
}
