//! The renderer's stack check without a call per node: `stacker::maybe_grow` asks how much
//! stack is left (a thread-local read and a call into `psm`) on every expression and
//! statement the renderer recurses into, ≈20 instructions each, 1.5 M times for the corpus.
//! [`StackWindow`] asks once per render, and remembers the range of addresses on the current
//! stack where `maybe_grow` would not grow (with a margin); a check inside that range compares
//! the address of a local with two bounds. Outside it (deeper, on a
//! segment `stacker` switched to, or on another thread) the renderer asks `stacker` as before.

/// `stacker::maybe_grow`'s red zone: with less stack than this left, grow.
pub(crate) const RED_ZONE: usize = 128 * 1024;

/// The size of a stack segment `stacker` allocates when it grows.
pub(crate) const SEGMENT: usize = 2 * 1024 * 1024;

/// Kept beyond the red zone: the address of a local differs from the stack pointer `stacker`
/// reads by up to a frame.
const MARGIN: usize = 16 * 1024;

/// Addresses of the current stack where there is more than [`RED_ZONE`] left. Made with its
/// top only (an address in the frame that made it, no call): the bottom is asked of `stacker`
/// on the first check that falls outside, so a render that never recurses never asks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StackWindow {
    /// `usize::MAX` until known (no address is inside then).
    lo: usize,
    hi: usize,
}

impl Default for StackWindow {
    /// A window that holds nothing: every check asks `stacker`.
    fn default() -> StackWindow {
        StackWindow { lo: usize::MAX, hi: 0 }
    }
}

/// An address in the caller's frame.
#[inline(always)]
fn here() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl StackWindow {
    /// A window below the caller's frame, its bottom still unknown.
    #[inline(always)]
    pub(crate) fn new() -> StackWindow {
        StackWindow { lo: usize::MAX, hi: here() }
    }

    /// Whether the caller's frame is inside the window: `stacker::maybe_grow(RED_ZONE, ..)`
    /// would run its closure directly.
    #[inline(always)]
    pub(crate) fn contains_here(&self) -> bool {
        let sp = here();
        sp >= self.lo && sp <= self.hi
    }

    /// Find the bottom: [`RED_ZONE`] and a margin above the end of the stack `stacker` sees
    /// here. Called before each `grow` outside the window, so the first call comes before the
    /// state's renderer ever switched stacks, on the stack the window was made on; a first
    /// call above the frame that made the window (which could not tell) leaves it empty for good.
    #[inline(never)]
    pub(crate) fn settle(&mut self) {
        let sp = here();
        if self.lo != usize::MAX {
            return;
        }
        if sp > self.hi {
            self.hi = 0;
            return;
        }
        self.lo = match stacker::remaining_stack() {
            Some(left) if left > RED_ZONE + MARGIN => sp - left + RED_ZONE + MARGIN,
            // Unknown or already short: the window stays empty.
            _ => usize::MAX,
        };
        if self.lo == usize::MAX {
            self.hi = 0;
        }
    }
}

/// Run `f`, first moving to a fresh stack segment when little stack is left (the slow path of
/// [`StackWindow`]).
#[inline]
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recurse in frames of about 4 KiB until less than half the red zone is left, checking
    /// at each that the window never says "enough stack" where `stacker` would grow; returns
    /// (levels the window accepted, levels).
    fn descend(w: &StackWindow) -> (usize, usize) {
        let pad = std::hint::black_box([0u8; 4096]);
        let inside = w.contains_here();
        let left = stacker::remaining_stack().unwrap_or(0);
        if inside {
            assert!(left >= RED_ZONE, "window accepted {left} bytes left");
        }
        let (a, n) = if left < RED_ZONE / 2 { (0, 0) } else { descend(w) };
        std::hint::black_box(&pad);
        (a + inside as usize, n + 1)
    }

    #[test]
    fn window_agrees_with_stacker() {
        let (accepted, levels) = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(|| {
                let mut w = StackWindow::new();
                assert!(!w.contains_here());
                w.settle();
                assert!(w.contains_here());
                descend(&w)
            })
            .expect("spawns")
            .join()
            .expect("joins");
        // Accepted down to the red zone (and its margin), refused below.
        assert!(accepted > 20 && accepted < levels, "{accepted} of {levels}");
    }

    #[test]
    fn empty_window_accepts_nothing() {
        assert!(!StackWindow::default().contains_here());
    }

    #[test]
    fn first_check_above_the_maker_leaves_it_empty() {
        // Made four frames of 1 KiB below the frame `settle` runs in.
        #[inline(never)]
        fn make(n: usize) -> StackWindow {
            let pad = std::hint::black_box([0u8; 1024]);
            let w = if n == 0 { StackWindow::new() } else { make(n - 1) };
            std::hint::black_box(&pad);
            w
        }
        let mut w = make(4);
        w.settle();
        assert!(!w.contains_here());
        w.settle();
        assert!(!w.contains_here());
    }

    #[test]
    fn other_thread_is_outside() {
        let mut w = StackWindow::new();
        w.settle();
        let inside = std::thread::spawn(move || w.contains_here()).join().expect("joins");
        assert!(!inside);
    }
}
