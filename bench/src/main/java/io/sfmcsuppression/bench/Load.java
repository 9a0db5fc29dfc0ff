package io.sfmcsuppression.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes batches through a number of concurrent clients, each taking the next batch as soon as its
 * previous one is answered (closed loop), and times every batch and the whole phase. The clients
 * are opened before the clock starts.
 */
final class Load {

    /** One client: a JDBC connection, an HTTP client. */
    interface Client extends AutoCloseable {
        /** Stores the batch durably; returns how many of its rows it accepted. */
        int send(Workload.Batch batch) throws Exception;
    }

    interface ClientFactory {
        Client open() throws Exception;
    }

    /**
     * What one phase did: rows accepted, wall time, per-batch latencies, CPU of the service process
     * (NaN if not measured) and of the PostgreSQL server.
     */
    record Result(long rows, double seconds, List<Double> latenciesMs, double serviceCpuSeconds, double databaseCpuSeconds) {

        Result withServiceCpu(double cpuSeconds) {
            return new Result(rows, seconds, latenciesMs, cpuSeconds, databaseCpuSeconds);
        }

        /** CPU of the PostgreSQL server per 1 000 rows during the phase. */
        double databaseCpuMsPerThousandRows() {
            return databaseCpuSeconds * 1e6 / rows;
        }

        double cpuMsPerThousandRows() {
            return serviceCpuSeconds * 1e6 / rows;
        }

        double rowsPerSecond() {
            return rows / seconds;
        }

        double p99Ms() {
            return Stats.percentile(latenciesMs, 99);
        }

        double p50Ms() {
            return Stats.percentile(latenciesMs, 50);
        }
    }

    private Load() {
    }

    static Result run(List<Workload.Batch> batches, int clients, ClientFactory factory) throws Exception {
        List<Client> opened = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open());
            }
            AtomicInteger next = new AtomicInteger();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> done = new ArrayList<>();
            for (Client client : opened) {
                done.add(pool.submit(() -> {
                    go.await();
                    long rows = 0;
                    for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                        long start = System.nanoTime();
                        rows += client.send(batches.get(b));
                        latencies.add((System.nanoTime() - start) / 1e6);
                    }
                    return rows;
                }));
            }
            double databaseCpu = Machine.postgresCpuSeconds();
            long start = System.nanoTime();
            go.countDown();
            long rows = 0;
            for (Future<Long> f : done) {
                rows += f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(rows, seconds, List.copyOf(latencies), Double.NaN, Machine.postgresCpuSeconds() - databaseCpu);
        } finally {
            pool.shutdownNow();
            for (Client c : opened) {
                c.close();
            }
        }
    }
}
