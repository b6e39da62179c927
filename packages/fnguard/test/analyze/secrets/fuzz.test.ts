/**
 * Hostile input for the secret scanner: random text built from the detectors' own anchors and
 * delimiters (fast-check), and worst cases for each detector (anchors repeated millions of times,
 * unterminated literals, endless URLs). The scanner must never throw, every span it reports must be
 * inside the text, and a few MiB of the worst input must finish in seconds (linear time, no regex
 * backtracking): the bound below only catches a hang, it is not a performance test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { detectorCatalogue } from '../../../src/analyze/secrets/detectors.js';
import { scanSecretsInBytes, scanSecretsInText } from '../../../src/analyze/secrets/scanText.js';
import { lastIndexWithin } from '../../../src/analyze/secrets/text.js';
import { classifySecret } from '../../../src/analyze/secrets/value.js';

const anchors = [...detectorCatalogue().set.anchors];
const pieces = [
  ...anchors,
  ...anchors.map((a) => a.toUpperCase()),
  '=',
  ': ',
  "'",
  '"',
  '`',
  '${',
  '}',
  '(',
  ')',
  ',',
  '\n',
  '\\',
  '@',
  '://',
  ' ',
  '-----END PRIVATE KEY-----',
  'eyJhbGciOiJIUzI1NiJ9',
  '.',
  'AKIA',
  'ZZZZZZZZZZZZZZZZ',
  'aB3dE6gH9jK2mN5pQ8sT',
  'é',
  '✓',
  '\u0000',
];

const hostileText = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 12 })), { maxLength: 200 }).map((a) => a.join(''));

describe('secret scanner under fuzzing', () => {
  test('never throws; spans stay inside the text; values are the spans', () => {
    fc.assert(
      fc.property(hostileText, fc.boolean(), (text, configLike) => {
        const { secrets } = scanSecretsInText(text, { configLike, generic: true });
        for (const s of secrets) {
          assert.ok(s.start >= 0 && s.end <= text.length && s.start < s.end, `span ${s.start}..${s.end} of ${text.length}`);
          assert.ok(s.line >= 1 && s.column >= 1);
          assert.equal(text.slice(s.start, s.end), s.value);
          assert.equal(s.line, text.slice(0, s.start).split('\n').length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('classifySecret never throws on arbitrary names and values', () => {
    fc.assert(
      fc.property(fc.option(hostileText), hostileText, (name, value) => {
        classifySecret(name ?? undefined, value);
      }),
      { numRuns: 2000 },
    );
  });

  test('the bounded backward search finds what lastIndexOf finds within the bound, and nothing beyond it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 's', 'k', '-', '\n'), maxLength: 300 }),
        fc.constantFrom('sk-', '\n', 'a'),
        fc.nat(320),
        fc.nat(100),
        (text, needle, pos, maxBack) => {
          const full = text.lastIndexOf(needle, pos);
          const expected = full >= 0 && full >= pos - maxBack ? full : -1;
          assert.equal(lastIndexWithin(text, needle, pos, maxBack), expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('arbitrary bytes (invalid UTF-8 included) are scanned without error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        scanSecretsInBytes(bytes, bytes.length, { configLike: true, generic: true });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('worst cases finish in linear time', () => {
  const MiB = 1024 * 1024;
  const worst: [string, string][] = [
    ['one anchor repeated', 'token'.repeat(MiB / 5)],
    ['assignments without values', 'password = '.repeat(MiB / 11)],
    ['unterminated literal', `secret = '${'a'.repeat(MiB)}`],
    ['URLs without an end', `postgres://${'u:'.repeat(MiB / 2)}`],
    ['URL credentials without a host', `https://a:${'b'.repeat(300)}@`.repeat(3000)],
    ['PEM headers without bodies', '-----BEGIN RSA PRIVATE KEY-----\n'.repeat(MiB / 32)],
    ['PEM body without an end', `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(MiB / 4)}`],
    ['JWT-looking runs', `eyJ${'a'.repeat(1000)}.`.repeat(1000)],
    ['env fallbacks without literals', 'process.env.SECRET || '.repeat(MiB / 22)],
    ['jwt.sign with deep arguments', `jwt.sign(${'('.repeat(MiB / 2)}`],
    ['every anchor, back to back', anchors.join('').repeat(Math.ceil(MiB / anchors.join('').length))],
    ['OpenAI markers without a key prefix', 'T3BlbkFJ'.repeat(MiB / 8)],
    ['connection-string passwords on one line', 'password=x;'.repeat(MiB / 11)],
  ];
  for (const [what, text] of worst)
    test(what, () => {
      const t = Date.now();
      const r = scanSecretsInText(text, { configLike: true, generic: true });
      const ms = Date.now() - t;
      assert.ok(ms < 15_000, `${what}: ${ms} ms for ${text.length} characters`);
      assert.ok(Array.isArray(r.secrets));
    });
});
