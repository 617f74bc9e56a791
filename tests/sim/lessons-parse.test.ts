// The lesson format's parser: what it accepts, what it refuses (with the line), and that no
// input — lessons are untrusted — makes it throw anything but a located LessonError.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRight, LessonError, parseLesson } from '../../src/sim/lessons/index';

const LESSON = `---
title: Demo
level: beginner
minutes: 5
---

Intro **text**.

## First step

Some text.

\`\`\`kubesim
load: [a.yaml]
run: kubectl get svc
\`\`\`

\`\`\`console
$ kubectl get svc
\`\`\`

## Second step

\`\`\`question
id: q1
kind: single
prompt: Which?
choices: [A, B]
answer: 1
explain: Because.
\`\`\`

\`\`\`check
id: c1
expect:
  endpoints: { service: default/web, ready: 3 }
hint: Look at the selector.
solution:
  add: [solution/fix.yaml]
\`\`\`
`;

describe('parseLesson', () => {
  it('reads front matter, intro, steps, actions, questions and checks; other code blocks stay text', () => {
    const l = parseLesson(LESSON);
    expect(l.meta).toEqual({ title: 'Demo', level: 'beginner', minutes: 5, prerequisites: [] });
    expect(l.intro).toBe('Intro **text**.');
    expect(l.steps.map((s) => s.title)).toEqual(['First step', 'Second step']);
    expect(l.steps[0].blocks).toEqual([{ kind: 'actions', actions: { load: ['a.yaml'], run: ['kubectl get svc'] } }]);
    expect(l.steps[0].markdown).toContain('```console');
    expect(l.steps[1].blocks.map((b) => b.kind)).toEqual(['question', 'check']);
  });

  it('refuses what it cannot use, saying where', () => {
    const bad = (s: string) => { try { parseLesson(s); return null; } catch (e) { return e as LessonError; } };
    expect(bad('no front matter')).toBeInstanceOf(LessonError);
    expect(bad(LESSON.replace('answer: 1', 'answer: 5'))?.message).toMatch(/line \d+: `answer` must be the index/);
    expect(bad(LESSON.replace('endpoints:', 'evaluate:'))?.message).toMatch(/unknown predicate "evaluate"/);
    expect(bad(LESSON.replace('load: [a.yaml]', 'load: [../../etc/passwd]'))?.message).toMatch(/not a file of the lesson folder/);
    expect(bad(LESSON.replace('id: c1', 'id: q1'))?.message).toMatch(/used twice/);
    expect(bad(LESSON.replace('run: kubectl get svc', 'run: kubectl get svc\nexec: rm -rf /'))?.message).toMatch(/unknown action "exec"/);
  });

  it('never throws anything but a LessonError, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (tail) => {
      for (const text of [tail, `---\ntitle: x\n---\n${tail}`, `---\ntitle: x\n---\n## s\n\`\`\`check\n${tail}\n\`\`\`\n`]) {
        try { parseLesson(text); } catch (e) { expect(e).toBeInstanceOf(LessonError); }
      }
    }), { numRuns: 300 });
  });

  it('checks answers: single, multiple (any order), value (trimmed, case-insensitive, numbers as numbers)', () => {
    const q = (kind: 'single' | 'multiple' | 'value', answer: number | number[] | string) => ({ id: 'x', kind, prompt: '', choices: ['a', 'b', 'c'], answer, explain: '' });
    expect(isRight(q('single', 1), 1)).toBe(true);
    expect(isRight(q('single', 1), 2)).toBe(false);
    expect(isRight(q('multiple', [0, 2]), [2, 0])).toBe(true);
    expect(isRight(q('value', '10.96.0.10'), ' 10.96.0.10 ')).toBe(true);
    expect(isRight(q('value', '4'), '4.0')).toBe(true);
  });
});
