// Linked highlighting between figures: hovering or picking a cell in one (the map, the
// scatter, the funnel) shows the same cell in the others. Cells are architecture ids (NB201: the benchmark index).

export type LinkListener = (hovered: number | null, picked: number | null) => void;

export class Link {
  hovered: number | null = null;
  picked: number | null = null;
  private listeners: LinkListener[] = [];

  /** Calls `f` on every change; returns a function that stops it. */
  on(f: LinkListener): () => void {
    this.listeners.push(f);
    return () => {
      this.listeners = this.listeners.filter((g) => g !== f);
    };
  }

  hover(key: number | null) {
    if (key === this.hovered) return;
    this.hovered = key;
    this.emit();
  }

  pick(key: number | null) {
    this.picked = key;
    this.emit();
  }

  private emit() {
    for (const f of this.listeners) f(this.hovered, this.picked);
  }
}
