// worker_pool.h — the threads of one NativeBackend: started when the backend opens, stopped when
// it closes (Java holds the handle), so a call pays a wake-up, not a thread start (tens of
// microseconds, a sizeable share of a 28x28 batch). Several Java threads may share one pool: their
// tasks queue up, each caller runs its own first range and waits for the rest of its job.
#ifndef DIFFEO_WORKER_POOL_H
#define DIFFEO_WORKER_POOL_H

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace diffeo {

class WorkerPool {
  public:
    /** One call's ranges 1..n-1, run by workers; range 0 is the caller's. */
    struct Job {
        std::function<void(int)> body;
        std::atomic<int> left{0};
        std::mutex m;
        std::condition_variable done;

        void run(int t) {
            body(t); // never throws: the caller's body catches everything
            // Decrement and notify under the mutex: the Job lives on the caller's stack, and the
            // caller may return (destroying m and done) as soon as it can see left == 0. Decrementing
            // outside the lock let it do so before this thread locked m: a lock of a dead mutex,
            // which hung the pool (seen in FieldBenchmark, native, 224x224, after ~10^4 calls).
            std::lock_guard<std::mutex> lk(m);
            if (--left == 0) done.notify_all();
        }
    };

    /** A pool for calls of up to `threads` ranges: threads - 1 workers. */
    explicit WorkerPool(int threads) {
        for (int k = 1; k < threads; k++) workers_.emplace_back([this] { loop(); });
    }

    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lk(m_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
    }

    int threads() const { return (int)workers_.size() + 1; }

    /** Runs body(0 .. n-1): 1 .. n-1 on the workers, 0 here, and returns when all are done. */
    void run(int n, const std::function<void(int)>& body) {
        Job job;
        job.body = body;
        job.left = n - 1;
        {
            std::lock_guard<std::mutex> lk(m_);
            for (int t = 1; t < n; t++) queue_.emplace_back(&job, t);
        }
        if (n > 2) wake_.notify_all(); else if (n == 2) wake_.notify_one();
        body(0);
        std::unique_lock<std::mutex> lk(job.m);
        job.done.wait(lk, [&] { return job.left.load() == 0; });
    }

  private:
    void loop() {
        for (;;) {
            std::unique_lock<std::mutex> lk(m_);
            wake_.wait(lk, [&] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return; // stop_ and nothing left
            auto task = queue_.front();
            queue_.pop_front();
            lk.unlock();
            task.first->run(task.second);
        }
    }

    std::vector<std::thread> workers_;
    std::mutex m_;
    std::condition_variable wake_;
    std::deque<std::pair<Job*, int>> queue_;
    bool stop_ = false;
};

} // namespace diffeo

#endif // DIFFEO_WORKER_POOL_H
