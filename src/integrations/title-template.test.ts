import { describe, expect, it } from 'vitest';
import { renderTitle } from './title-template.js';

const labels = { resource: 'db-01', check: 'disk', 'kubernetes.io/name': 'api', price: '', host: 'web-1' };

describe('renderTitle', () => {
  it.each([
    ['plain text', 'Disk full', 'Disk full'],
    ['$label pairs with a separator', '$resource::$check', 'db-01::disk'],
    ['{{ labels.x }} with spaces', 'Disk on {{ labels.resource }}', 'Disk on db-01'],
    ['{{labels.x}} without spaces', '{{labels.check}}!', 'disk!'],
    ['label names with dots and slashes in braces', 'app {{ labels.kubernetes.io/name }}', 'app api'],
    ['a missing $label stays as written', 'costs $5 on $unknown', 'costs $5 on $unknown'],
    ['a missing {{ labels.x }} renders empty', 'x{{ labels.nope }}y', 'xy'],
    ['$$ is a literal dollar', 'pay $$resource', 'pay $resource'],
    ['an identifier stops at a dash', '$host-down', 'web-1-down'],
    ['an empty label value renders empty', '[$price]', '[]'],
    ['mixed syntaxes', '$host {{ labels.check }}', 'web-1 disk'],
  ])('%s', (_name, template, expected) => {
    expect(renderTitle(template, labels)).toBe(expected);
  });

  it('never reads inherited properties', () => {
    expect(renderTitle('$constructor {{ labels.toString }}', {})).toBe('$constructor ');
  });
});
