import { splitRows } from './split-rows';

describe('splitRows', () => {
  const length = (row: string) => row.length;

  it('keeps row order and at most maxRows rows per chunk', () => {
    expect(splitRows(['a', 'b', 'c', 'd', 'e'], 2, 100, length)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('starts a new chunk before the bytes would pass maxBytes, and puts a row larger than that alone', () => {
    expect(splitRows(['aaa', 'bb', 'c', 'dddddd', 'e'], 10, 5, length)).toEqual([
      ['aaa', 'bb'],
      ['c'],
      ['dddddd'],
      ['e'],
    ]);
  });

  it('gives no chunk for no rows', () => {
    expect(splitRows([], 10, 10, length)).toEqual([]);
  });
});
