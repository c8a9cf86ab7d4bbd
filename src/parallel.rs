//! Work split into contiguous shares on rayon's threads, joined in order, so that results
//! never depend on the number of cores. Small inputs stay on the calling thread.

use rayon::prelude::*;

/// How many shares for `len` items when each should get at least `least`.
pub(crate) fn threads(len: usize, least: usize) -> usize {
    rayon::current_num_threads().min(len / least.max(1)).max(1)
}

/// `work` on contiguous shares of `items`, each of at least `least` items, results in order.
/// A panic in a share is raised again here, as it would have been without threads.
pub(crate) fn shares<'a, T: Sync, R: Send>(
    items: &'a [T],
    least: usize,
    work: impl Fn(&'a [T]) -> R + Sync + Send,
) -> Vec<R> {
    let threads = threads(items.len(), least);
    if threads == 1 {
        return vec![work(items)];
    }
    items
        .par_chunks(items.len().div_ceil(threads))
        .map(work)
        .collect()
}

/// Frees `value` on a thread of its own, while the caller goes on: a large schedule is
/// millions of allocations, and freeing them one by one would hold the caller up. The
/// process may exit before the thread is done.
pub(crate) fn release<T: Send + 'static>(value: T) {
    // Should no thread start, the value comes back in the error and is freed here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_every_item_once_in_order() {
        let items: Vec<usize> = (0..10_000).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a thread pool");
        let copies = pool.install(|| shares(&items, 1000, |share| share.to_vec()));
        assert_eq!(copies.len(), 4);
        assert_eq!(copies.concat(), items);
    }

    #[test]
    fn few_items_stay_on_one_thread() {
        assert_eq!(threads(10, 1000), 1);
        assert_eq!(shares(&[1, 2, 3], 1000, <[i32]>::len), vec![3]);
    }
}
