// What became of the last shared link or embed message the page was given, for the notice
// above the panes: refused (with the reason), so the learner knows why nothing changed.
import { createStore } from 'zustand/vanilla';
import type { RefusalReason } from './codec';

export interface Refusal {
  /** Where it came from: a link (`#s=…`) or a postMessage. */
  source: 'link' | 'message';
  reason: RefusalReason;
  /** The specific problem, in English (shown after the translated reason). */
  detail: string;
}

export interface ShareStatus {
  refused: Refusal | null;
  refuse(r: Refusal): void;
  dismiss(): void;
}

export const shareStatus = createStore<ShareStatus>()((set) => ({
  refused: null,
  refuse: (r) => set({ refused: r }),
  dismiss: () => set({ refused: null }),
}));
