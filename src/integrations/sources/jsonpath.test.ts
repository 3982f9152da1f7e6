import { describe, expect, it } from 'vitest';
import { firstJsonPath, JsonPathError, parseJsonPath, queryJsonPath } from './jsonpath.js';

const doc = {
  a: { b: 'ab', 'key with space': 1, "it's": 'quoted', 'x-y': 'dash' },
  items: [
    { id: 1, name: 'first', tags: ['t1', 't2'] },
    { id: 2, name: 'second', tags: [] },
  ],
  empty: null,
};

describe('parseJsonPath', () => {
  it('parses every supported segment', () => {
    expect(parseJsonPath(`$.a['key with space'].items[0][*].*["x"][-1]`)).toEqual([
      { kind: 'name', name: 'a' },
      { kind: 'name', name: 'key with space' },
      { kind: 'name', name: 'items' },
      { kind: 'index', index: 0 },
      { kind: 'wildcard' },
      { kind: 'wildcard' },
      { kind: 'name', name: 'x' },
      { kind: 'index', index: -1 },
    ]);
    expect(parseJsonPath('$')).toEqual([]);
  });

  it.each([
    ['a.b', 'a path must start with $ at position 0'],
    ['$.', 'expected a name after . at position 2'],
    ['$..a', 'expected a name after . at position 2'],
    ['$[', "expected an index, '*' or a quoted name at position 2"],
    ["$['a", 'unterminated quoted name at position 4'],
    ['$[0', 'expected ] at position 3'],
    ['$a', 'unexpected character "a" at position 1'],
    ['$[?(@.x)]', "expected an index, '*' or a quoted name at position 2"],
  ])('rejects %s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});

describe('queryJsonPath', () => {
  it.each([
    ['$.a.b', ['ab']],
    ['$.items[0].name', ['first']],
    ['$.items[-1].name', ['second']],
    ['$.items[*].id', [1, 2]],
    ['$.items[*].tags[*]', ['t1', 't2']],
    ["$['a']['key with space']", [1]],
    ['$["a"]["it\\\'s"]', ['quoted']],
    ['$.a.x-y', ['dash']],
    ['$.a.*', ['ab', 1, 'quoted', 'dash']],
    ['$.items[5].name', []],
    ['$.missing.deep', []],
    ['$.empty', [null]],
    ['$.empty.x', []],
    ['$.a.b.length', []],
    ['$', [doc]],
  ])('%s selects %j', (path, expected) => {
    expect(queryJsonPath(doc, path)).toEqual(expected);
  });

  it('never reads inherited properties', () => {
    expect(queryJsonPath({}, '$.constructor')).toEqual([]);
    expect(queryJsonPath({ a: [] }, "$.a['length']")).toEqual([]);
  });

  it('firstJsonPath gives the first match or undefined', () => {
    expect(firstJsonPath(doc, '$.items[*].name')).toBe('first');
    expect(firstJsonPath(doc, '$.nope')).toBeUndefined();
  });
});
