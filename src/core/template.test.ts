import { describe, expect, it } from 'vitest';
import { compileTemplate, type Template, type TemplateContext } from './template.js';

function compile(source: string): Template {
  const t = compileTemplate(source, 'template');
  if (!t.ok) throw new Error(JSON.stringify(t.errors));
  return t.value;
}

const ctx: TemplateContext = { title: 'Disk full', description: '/var at 99%', severity: 'Critical', labels: { a: 'web', b: '01', 'k8s.pod': 'p-1' } };

describe('compileTemplate', () => {
  it('substitutes labels and fields, with or without spaces inside the braces', () => {
    expect(compile('{{ labels.a }}-{{labels.b}}')(ctx)).toBe('web-01');
    expect(compile('[{{ severity }}] {{ title }}: {{ description }}')(ctx)).toBe('[Critical] Disk full: /var at 99%');
    expect(compile('pod={{ labels.k8s.pod }}')(ctx)).toBe('pod=p-1');
  });

  it('renders missing labels and fields as the empty string', () => {
    expect(compile('{{ labels.nope }}|{{ labels.constructor }}|{{ title }}')({ labels: {} })).toBe('||');
  });

  it('copies plain text, lone closing braces and never evaluates code', () => {
    expect(compile('no placeholders }} here')(ctx)).toBe('no placeholders }} here');
    expect(compile('')(ctx)).toBe('');
    expect(compile('{{ labels.a }}{{ labels.a }}')({ labels: { a: '${process.exit(1)}' } })).toBe('${process.exit(1)}${process.exit(1)}');
  });

  it('reports unknown placeholders and unclosed braces', () => {
    expect(compileTemplate('{{ labels.a }} {{ constructor }}', 'rules[0].template')).toEqual({
      ok: false,
      errors: [{ field: 'rules[0].template', message: 'unknown placeholder {{ constructor }}: use title, description, severity or labels.<name>' }],
    });
    expect(compileTemplate('x {{ labels.a', 't')).toEqual({ ok: false, errors: [{ field: 't', message: 'unclosed {{ at character 3' }] });
    expect(compileTemplate('{{ labels. }}', 't')).toEqual({
      ok: false,
      errors: [{ field: 't', message: 'unknown placeholder {{ labels. }}: use title, description, severity or labels.<name>' }],
    });
    expect(compileTemplate('x'.repeat(2049), 't')).toEqual({ ok: false, errors: [{ field: 't', message: 'must be at most 2048 characters' }] });
  });
});
