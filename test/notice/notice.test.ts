import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCatalogue, defineCatalogue, renderPrivacyNotice } from '../../src/index.js';

const seed = readFileSync(new URL('../fixtures/privacy-policy.txt', import.meta.url), 'utf8');

describe('renderPrivacyNotice', () => {
  it('reproduces the seed privacy policy from the default catalogue, byte for byte', () => {
    const notice = renderPrivacyNotice(defaultCatalogue);
    expect(Buffer.from(notice, 'utf8').equals(Buffer.from(seed, 'utf8'))).toBe(true);
    expect(notice).toBe(seed);
  });

  it('is generated from the catalogue: changing a subject text changes the notice', () => {
    const spec = JSON.parse(JSON.stringify(defaultCatalogue)) as { subjects: { customer: { purposes: Record<string, unknown> } } };
    spec.subjects.customer.purposes['billing'] = 'To bill you';
    const changed = renderPrivacyNotice(defineCatalogue(spec as never));
    expect(changed).not.toBe(seed);
    expect(changed).toContain('- ・To bill you\n');
    expect(changed.split('\n')).toHaveLength(seed.split('\n').length);
  });

  const custom = defineCatalogue({
    version: '1',
    controller: { name: 'Tiny Ltd.' },
    dataCategories: {},
    purposes: { billing: { title: 'Billing', basis: 'contract' }, cookies: { title: 'Cookies', basis: 'consent' } },
    subjects: {
      member: { title: 'members', purposes: { billing: 'To bill members', cookies: { text: 'We use cookies.', style: 'note' } } },
      visitor: { title: 'Visitors', noticeHeading: 'Website visitors', purposes: { cookies: { text: 'To remember preferences', style: 'bullet' } } },
    },
  });

  it('uses the default heading, intro and per-subject headings when the catalogue has none', () => {
    expect(renderPrivacyNotice(custom)).toBe(
      [
        'Purposes of use of personal information',
        'We will use the acquired personal information for the following purposes:',
        '(1) Personal information on members',
        '- ・To bill members',
        '- ※We use cookies.',
        '(2) Website visitors',
        '- ・To remember preferences',
      ].join('\n'),
    );
  });

  it('uses the catalogue notice heading and intro when given', () => {
    const withNotice = defineCatalogue({ ...custom, notice: { heading: 'How we use your data', intro: 'We use it for:' } });
    expect(renderPrivacyNotice(withNotice).split('\n').slice(0, 3)).toEqual(['How we use your data', 'We use it for:', '(1) Personal information on members']);
  });

  it('renders a subject with no purposes as a heading only', () => {
    const empty = defineCatalogue({ ...custom, subjects: { ghost: { title: 'ghosts', purposes: {} } } });
    expect(renderPrivacyNotice(empty).split('\n').slice(2)).toEqual(['(1) Personal information on ghosts']);
  });

  it('reads the catalogue through its own fields: a polluted Object.prototype changes no heading, intro or style', () => {
    const plain = defineCatalogue({
      version: '1',
      controller: { name: 'Tiny Ltd.' },
      dataCategories: {},
      purposes: { billing: { title: 'Billing', basis: 'contract' } },
      subjects: { member: { title: 'members', purposes: { billing: { text: 'To bill members' } } } },
    });
    const expected = renderPrivacyNotice(plain);
    const proto = Object.prototype as Record<string, unknown>;
    const pollution: Record<string, unknown> = { notice: { heading: 'POLLUTED heading', intro: 'POLLUTED intro' }, noticeHeading: 'POLLUTED subject heading', style: 'note' };
    let polluted = '';
    let seedPolluted = '';
    try {
      for (const key of Object.keys(pollution)) proto[key] = pollution[key];
      polluted = renderPrivacyNotice(plain);
      seedPolluted = renderPrivacyNotice(defaultCatalogue);
    } finally {
      for (const key of Object.keys(pollution)) delete proto[key];
    }
    expect(polluted).toBe(expected);
    expect(expected).toBe(['Purposes of use of personal information', 'We will use the acquired personal information for the following purposes:', '(1) Personal information on members', '- ・To bill members'].join('\n'));
    expect(seedPolluted).toBe(seed);
  });
});
