//! Work spread over every core, results kept in input order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Runs `work` over `items` on every core and returns the results in the order of `items`.
///
/// Threads take the next item as they become free, so a few slow items (a large heatmap among
/// small profile charts) do not leave a core idle.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut results = Vec::with_capacity(items.len());
    let Ok(()) = ordered_map::<R, std::convert::Infallible>(
        items.len(),
        1,
        items.len(),
        |i| work(&items[i]),
        |result| {
            results.push(result);
            Ok(())
        },
    );
    results
}

/// Runs `work(0..count)` on every core and hands the results to `each` in order, as they are
/// ready, while the threads go on: at most about `window` results are ahead of `each`, which
/// bounds memory. Threads take `chunk` items at a time: handing over one small result at a time
/// can cost more in locks and wake-ups than the work. `each` runs on the calling thread; its
/// first error stops the work and is returned.
pub fn ordered_map<R: Send, E>(
    count: usize,
    chunk: usize,
    window: usize,
    work: impl Fn(usize) -> R + Sync,
    mut each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(count);
    if threads <= 1 {
        return (0..count).try_for_each(|i| each(work(i)));
    }
    let chunk = chunk.max(1);
    let chunks = count.div_ceil(chunk);
    let window = window.div_ceil(chunk).max(threads);
    let next = AtomicUsize::new(0);
    // How many chunks `each` has taken, and whether to stop.
    let progress = Mutex::new((0usize, false));
    let moved = Condvar::new();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, Vec<R>)>();
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, progress, moved, work) = (&next, &progress, &moved, &work);
            scope.spawn(move || {
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        return;
                    }
                    let mut state = progress.lock().unwrap_or_else(|e| e.into_inner());
                    while !state.1 && c >= state.0 + window {
                        state = moved.wait(state).unwrap_or_else(|e| e.into_inner());
                    }
                    if state.1 {
                        return;
                    }
                    drop(state);
                    let range = c * chunk..((c + 1) * chunk).min(count);
                    let results = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        range.map(work).collect::<Vec<R>>()
                    }));
                    let results = match results {
                        Ok(results) => results,
                        Err(panic) => {
                            // The chunk will never come: stop the others, who could otherwise
                            // wait for it forever, and let the scope pass the panic on.
                            progress.lock().unwrap_or_else(|e| e.into_inner()).1 = true;
                            moved.notify_all();
                            std::panic::resume_unwind(panic);
                        }
                    };
                    if sender.send((c, results)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let mut pending: std::collections::HashMap<usize, Vec<R>> =
            std::collections::HashMap::new();
        let mut taken = 0;
        let mut outcome = Ok(());
        // Ends when every thread is done (or one panicked; the scope then passes the panic on).
        for (c, results) in receiver {
            pending.insert(c, results);
            while let Some(results) = pending.remove(&taken) {
                taken += 1;
                for result in results {
                    if outcome.is_ok() {
                        outcome = each(result);
                    }
                }
                let mut state = progress.lock().unwrap_or_else(|e| e.into_inner());
                state.0 = taken;
                state.1 |= outcome.is_err();
                moved.notify_all();
            }
        }
        outcome
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_results_arrive_in_order_and_an_error_stops_the_work() {
        let mut seen = Vec::new();
        let done: Result<(), ()> = ordered_map(
            2000,
            3,
            8,
            |i| i * 3,
            |r| {
                seen.push(r);
                Ok(())
            },
        );
        assert!(done.is_ok());
        assert_eq!(seen, (0..2000).map(|i| i * 3).collect::<Vec<_>>());
        let started = AtomicUsize::new(0);
        let mut taken = 0;
        let stopped = ordered_map(
            100_000,
            4,
            16,
            |i| {
                started.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i| {
                taken += 1;
                if i == 10 { Err(i) } else { Ok(()) }
            },
        );
        assert_eq!(stopped, Err(10));
        assert_eq!(taken, 11);
        // The window keeps the threads near the consumer: they stopped soon after the error.
        assert!(started.load(Ordering::Relaxed) < 1000);
    }

    #[test]
    fn a_panic_in_the_work_is_passed_on_instead_of_hanging() {
        let outcome = std::panic::catch_unwind(|| {
            ordered_map(
                10_000,
                1,
                8,
                |i| {
                    assert!(i != 40, "item 40 fails");
                    i
                },
                |_| Ok::<(), ()>(()),
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = parallel_map(&items, |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        assert!(parallel_map(&Vec::<u64>::new(), |x| *x).is_empty());
    }
}
