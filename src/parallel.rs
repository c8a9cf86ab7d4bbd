//! Work split into contiguous shares, one thread each, joined in order, so that results never
//! depend on the number of cores. Small inputs stay on the calling thread: starting threads
//! would cost more than they save.

/// How many threads for `len` items when each should get at least `least`.
pub(crate) fn threads(len: usize, least: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(len / least.max(1))
        .max(1)
}

/// `work` on contiguous shares of `items`, each of at least `least` items, results in order.
/// A panic in a share is raised again here, as it would have been without threads.
pub(crate) fn shares<'a, T: Sync, R: Send>(
    items: &'a [T],
    least: usize,
    work: impl Fn(&'a [T]) -> R + Sync,
) -> Vec<R> {
    let threads = threads(items.len(), least);
    if threads == 1 {
        return vec![work(items)];
    }
    let share = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(share)
            .map(|share| {
                let work = &work;
                scope.spawn(move || work(share))
            })
            .collect();
        workers.into_iter().map(joined).collect()
    })
}

/// Frees `value` on a thread of its own, while the caller goes on. A large schedule is
/// millions of allocations: freeing them one by one would hold the caller up, and freeing
/// them on several threads at once makes the threads queue on the allocator's locks. The
/// process may exit before the thread is done.
pub(crate) fn release<T: Send + 'static>(value: T) {
    // Should no thread start, the value comes back in the error and is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

fn joined<R>(worker: std::thread::ScopedJoinHandle<'_, R>) -> R {
    worker
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_item_once_in_order() {
        let items: Vec<usize> = (0..10_000).collect();
        let copies = shares(&items, 1000, |share| share.to_vec());
        assert_eq!(copies.concat(), items);
    }

    #[test]
    fn few_items_stay_on_one_thread() {
        assert_eq!(threads(10, 1000), 1);
        assert_eq!(shares(&[1, 2, 3], 1000, <[i32]>::len), vec![3]);
    }
}
