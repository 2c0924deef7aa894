// GitHub Actions expressions (`${{ }}`) for the tests' harness (github_actions_harness.mjs):
// literals ('text', numbers, true, false, null), contexts with `.name` and `[index]`, the
// operators ! == != < > <= >= && || and parentheses, with GitHub's rules (loose comparison, case-
// insensitive strings, && and || returning an operand), and the functions always(), success(),
// failure(), cancelled(), fromJSON(), toJSON(), contains(), startsWith() and format().
// `context` is {contexts: {name: object}, status: {failed}}. Anything else is an error, so that a
// template using what this file does not know fails its test rather than passing by accident.

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated string in expression "${text}"`);
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      tokens.push({ type: 'literal', value });
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i));
      tokens.push({ type: 'literal', value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
      const word = match[0];
      if (word === 'true' || word === 'false') tokens.push({ type: 'literal', value: word === 'true' });
      else if (word === 'null') tokens.push({ type: 'literal', value: null });
      else tokens.push({ type: 'name', value: word });
      i += word.length;
    } else {
      const two = text.slice(i, i + 2);
      if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
        tokens.push({ type: 'op', value: two });
        i += 2;
      } else if ('!().,[]<>*'.includes(c)) {
        tokens.push({ type: 'op', value: c });
        i += 1;
      } else {
        throw new Error(`unexpected "${c}" in expression "${text}"`);
      }
    }
  }
  return tokens;
}

function truthy(value) {
  return !(value === false || value === 0 || value === '' || value === null || value === undefined || Number.isNaN(value));
}

function toNumber(value) {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

function looseEquals(a, b) {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (a === null && b === null) return true;
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  return toNumber(a) === toNumber(b);
}

export function toText(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function evaluateTokens(tokens, context, source) {
  let position = 0;
  const peek = () => tokens[position];
  const take = (value) => {
    const token = tokens[position];
    if (!token || (value !== undefined && token.value !== value)) {
      throw new Error(`expected "${value}" in expression "${source}"`);
    }
    position += 1;
    return token;
  };
  const functions = {
    always: () => true,
    success: () => !context.status.failed,
    failure: () => context.status.failed,
    cancelled: () => false,
    fromjson: (text) => JSON.parse(text),
    tojson: (value) => JSON.stringify(value, null, 2),
    contains: (haystack, needle) => (Array.isArray(haystack)
      ? haystack.some((item) => looseEquals(item, needle))
      : toText(haystack).toLowerCase().includes(toText(needle).toLowerCase())),
    startswith: (text, prefix) => toText(text).toLowerCase().startsWith(toText(prefix).toLowerCase()),
    format: (pattern, ...values) => toText(pattern).replace(/\{(\d+)\}/g, (_, n) => toText(values[Number(n)])),
  };
  const primary = () => {
    const token = take();
    if (token.type === 'literal') return token.value;
    if (token.type === 'op' && token.value === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.type === 'op' && token.value === '!') return !truthy(primary());
    if (token.type !== 'name') throw new Error(`unexpected "${token.value}" in expression "${source}"`);
    if (peek() && peek().value === '(') {
      take('(');
      const args = [];
      while (peek() && peek().value !== ')') {
        args.push(or());
        if (peek() && peek().value === ',') take(',');
      }
      take(')');
      const fn = functions[token.value.toLowerCase()];
      if (!fn) throw new Error(`unknown function "${token.value}" in expression "${source}"`);
      return fn(...args);
    }
    if (!(token.value in context.contexts)) {
      throw new Error(`unknown context "${token.value}" in expression "${source}"`);
    }
    let value = context.contexts[token.value];
    for (;;) {
      const next = peek();
      if (next && next.value === '.') {
        take('.');
        const property = take();
        // An input the action or workflow does not declare is a mistake, not an empty string.
        if (value === context.contexts.inputs && !(property.value in value)) {
          throw new Error(`undeclared input "${property.value}" in expression "${source}"`);
        }
        value = value == null ? undefined : value[property.value];
      } else if (next && next.value === '[') {
        take('[');
        const index = or();
        take(']');
        value = value == null ? undefined : value[index];
      } else {
        break;
      }
    }
    return value === undefined ? null : value;
  };
  const comparison = () => {
    let left = primary();
    while (peek() && ['==', '!=', '<', '>', '<=', '>='].includes(peek().value)) {
      const op = take().value;
      const right = primary();
      if (op === '==') left = looseEquals(left, right);
      else if (op === '!=') left = !looseEquals(left, right);
      else if (op === '<') left = toNumber(left) < toNumber(right);
      else if (op === '>') left = toNumber(left) > toNumber(right);
      else if (op === '<=') left = toNumber(left) <= toNumber(right);
      else left = toNumber(left) >= toNumber(right);
    }
    return left;
  };
  const and = () => {
    let left = comparison();
    while (peek() && peek().value === '&&') {
      take('&&');
      const right = comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const or = () => {
    let left = and();
    while (peek() && peek().value === '||') {
      take('||');
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const value = or();
  if (position !== tokens.length) throw new Error(`unexpected "${tokens[position].value}" in expression "${source}"`);
  return value;
}

export function evaluateExpression(text, context) {
  return evaluateTokens(tokenize(text), context, text);
}

// Replace every `${{ X }}` of `value`; a value that is exactly one expression keeps its type.
export function interpolate(value, context) {
  if (typeof value !== 'string') return value;
  const whole = /^\s*\$\{\{(.*?)\}\}\s*$/s.exec(value);
  if (whole && !whole[1].includes('}}')) return evaluateExpression(whole[1], context);
  return value.replace(/\$\{\{(.*?)\}\}/gs, (_, expression) => toText(evaluateExpression(expression, context)));
}

export function evaluateCondition(condition, context) {
  if (condition === undefined || condition === null) return !context.status.failed;
  if (typeof condition === 'boolean') return condition;
  const text = String(condition);
  const match = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(text);
  const expression = match ? match[1] : text;
  // As on GitHub, a condition without a status function means success() && condition.
  const value = evaluateExpression(expression, context);
  if (!/\b(always|success|failure|cancelled)\s*\(/.test(expression) && context.status.failed) return false;
  return truthy(value);
}
