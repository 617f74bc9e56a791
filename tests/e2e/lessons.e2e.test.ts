// A learner goes through lesson 2 and lesson 11 in the browser: does each step, answers every
// question (right, from the lesson's own answers), makes every check pass ("Show me" applies
// the reference solution and checks), and finds their progress again after a reload. Then
// presenter mode's keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseLesson, type Lesson } from '../../src/sim/lessons/index';
import { REPO_ROOT, describeInBrowser, openAppSession, type AppSession } from './browser';

const SHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const lesson = (id: string): Lesson => parseLesson(readFileSync(join(REPO_ROOT, 'lessons', id, 'lesson.en.md'), 'utf8'));

describeInBrowser('lessons and presenter mode (dist/ in Chromium)', () => {
  let s: AppSession;

  beforeAll(async () => {
    s = await openAppSession({ viewport: { width: 1500, height: 1100 }, locale: 'en-US' });
  }, 30_000);

  afterAll(async () => {
    await s?.close();
  });

  async function complete(id: string, shot?: string, tryReset = false): Promise<void> {
    const { page } = s;
    const l = lesson(id);
    await page.goto(`${s.origin}/?lang=en&lesson=${id}&step=1`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="lesson"]', { timeout: 20_000 });
    for (let k = 0; k < l.steps.length; k++) {
      await expect.poll(() => page.locator('[data-testid="lesson"]').getAttribute('data-step')).toBe(String(k));
      const step = l.steps[k];
      if (step.blocks.some((b) => b.kind === 'actions')) {
        await page.click('[data-testid="lesson-do"]');
        await expect.poll(() => page.locator('[data-testid="lesson-do"]').textContent(), { timeout: 20_000 }).toContain('✓');
        await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 20_000 });
        if (tryReset && k === 0) {
          // Reset step: the workspace as the step found it, and the step done again.
          await page.click('[data-testid="lesson-reset"]');
          await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Up to date'), undefined, { timeout: 20_000 });
        }
      }
      for (const b of step.blocks) {
        if (b.kind === 'question') {
          const q = b.question;
          const box = page.getByTestId(`question-${q.id}`);
          if (q.kind === 'value') await page.fill(`[data-testid="answer-${q.id}"]`, String(q.answer));
          else for (const i of Array.isArray(q.answer) ? q.answer : [q.answer as number]) await box.locator('input').nth(i).check();
          await page.click(`[data-testid="submit-${q.id}"]`);
          await expect.poll(() => box.locator('.lesson-reveal').textContent()).toContain('Right');
        }
        if (b.kind === 'check') {
          const box = page.getByTestId(`check-${b.check.id}`);
          await page.click(`[data-testid="${b.check.solution ? 'show' : 'run-check'}-${b.check.id}"]`);
          await expect.poll(() => box.locator('.lesson-check-result').textContent(), { timeout: 20_000 }).toContain('Passed');
        }
      }
      if (shot && k === 1) await page.screenshot({ path: join(SHOTS, shot) });
      if (k < l.steps.length - 1) await page.click('[data-testid="lesson-next"]');
    }
    // Progress survives a reload: the last step, and the answers and checks are still there.
    await page.goto(`${s.origin}/?lang=en&lesson=${id}`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="lesson"]', { timeout: 20_000 });
    expect(await page.locator('[data-testid="lesson"]').getAttribute('data-step')).toBe(String(l.steps.length - 1));
    const last = l.steps[l.steps.length - 1].blocks;
    for (const b of last) {
      if (b.kind === 'question') expect(await page.getByTestId(`question-${b.question.id}`).locator('.lesson-reveal').textContent()).toContain('Right');
      if (b.kind === 'check') expect(await page.getByTestId(`check-${b.check.id}`).locator('.lesson-check-result').textContent()).toContain('Passed');
    }
  }

  it('lesson 2 (ClusterIP, selectors, Endpoints) can be completed; progress survives a reload', async () => {
    await complete('02-clusterip', 'lesson.png', true);
  }, 120_000);

  it('lesson 11 (the iptables deep dive) can be completed', async () => {
    await complete('11-iptables-deep-dive');
  }, 120_000);

  it('presenter mode: the stage alone; +/− change the speed, 2 opens the second scenario, B and Shift+1 bookmark and go back, L the laser, Esc leaves', async () => {
    const { page } = s;
    await page.goto(`${s.origin}/?lang=en&present=1`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="packet-send"]:not([disabled])', { timeout: 20_000 });
    expect(await page.locator('.app').getAttribute('class')).toContain('is-presenting');
    expect(await page.locator('.left').isVisible()).toBe(false);
    await page.click('[data-testid="packet-send"]');
    await page.waitForFunction(() => /^1 \/ \d+$/.test(document.querySelector('.tl-count')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await page.locator('#stage-heading').click();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('+');
    await expect.poll(() => page.locator('.tl select').last().inputValue()).toBe('2');
    await page.keyboard.press('b');
    const count = await page.locator('.tl-count').textContent();
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.includes('Up to date'), undefined, { timeout: 20_000 });
    await page.keyboard.press('Shift+Digit1');
    await expect.poll(() => page.locator('.tl-count').textContent(), { timeout: 15_000 }).toBe(count);
    await page.keyboard.press('l');
    await page.mouse.move(700, 400);
    await expect.poll(() => page.locator('[data-testid="laser"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'presenter.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.app').getAttribute('class')).toBe('app');
  }, 60_000);
});
