import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { WhenVisible } from './WhenVisible';

// jsdom has no IntersectionObserver (WhenVisible then renders at once): a stand-in that the
// test drives, playing the browser's part of saying when the box nears the viewport.
type Callback = (entries: Pick<IntersectionObserverEntry, 'isIntersecting'>[]) => void;
let observers: { callback: Callback; options?: IntersectionObserverInit; disconnected: boolean }[];

beforeEach(() => {
  observers = [];
  vi.stubGlobal(
    'IntersectionObserver',
    class {
      private readonly entry;
      constructor(callback: Callback, options?: IntersectionObserverInit) {
        this.entry = { callback, options, disconnected: false };
        observers.push(this.entry);
      }
      observe() {}
      disconnect() {
        this.entry.disconnected = true;
      }
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

const report = (isIntersecting: boolean) =>
  act(() => observers.at(-1)!.callback([{ isIntersecting }]));

describe('WhenVisible', () => {
  it('holds the place until the box nears the viewport, then renders and keeps its children', async () => {
    const { container } = render(
      <WhenVisible height={340} margin="150px">
        <p>the chart</p>
      </WhenVisible>,
    );
    expect(screen.queryByText('the chart')).not.toBeInTheDocument();
    const holder = container.querySelector('[data-when-visible="waiting"]');
    expect(holder).toHaveStyle({ minHeight: '340px' });
    expect(observers.at(-1)!.options).toEqual({ rootMargin: '150px' });

    // Still far away: nothing drawn.
    await report(false);
    expect(screen.queryByText('the chart')).not.toBeInTheDocument();

    await report(true);
    expect(screen.getByText('the chart')).toBeInTheDocument();
    expect(container.querySelector('[data-when-visible]')).toBeNull();
    // Drawn once, it stays: no observer is left watching it.
    expect(observers.every((o) => o.disconnected)).toBe(true);
  });
});
