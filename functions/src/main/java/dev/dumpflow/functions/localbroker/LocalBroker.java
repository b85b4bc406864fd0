package dev.dumpflow.functions.localbroker;

import dev.dumpflow.functions.localbroker.BrokerTopology.BrokerRoutes;
import dev.dumpflow.functions.localbroker.BrokerTopology.Subscription;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What a Knative Broker promises, in one process: an accepted event goes to every Trigger whose
 * filter it passes, asynchronously on virtual threads; each delivery follows its delivery spec
 * (retries with backoff, then the dead-letter sink); a reply event goes back into the broker, at
 * most {@code hopLimit} times in a chain.
 */
public final class LocalBroker implements AutoCloseable {

    /** The extension Knative uses to count the hops a chain of replies may still take. */
    static final String TTL_EXTENSION = "knativebrokerttl";

    private static final Logger LOG = Logger.getLogger(LocalBroker.class);

    /** What ingress makes of an event. */
    public enum Admission {
        /** Taken: delivered to the matching Triggers, if any, in the background. */
        ACCEPTED,
        /** No such Broker in the manifests. */
        UNKNOWN_BROKER,
        /** Too many deliveries pending; the sender should retry later. */
        OVERLOADED
    }

    private final BrokerTopology topology;
    private final Dispatcher dispatcher;
    private final int hopLimit;
    private final Semaphore pending;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Object idle = new Object();

    /**
     * Deliveries started and not finished, their reply routed included; guarded by {@code idle}.
     */
    private int inFlight;

    /**
     * A broker over the given topology.
     *
     * @param hopLimit how many times a chain of replies may re-enter the broker
     * @param maxPendingDeliveries how many deliveries may wait or run at once
     */
    public LocalBroker(BrokerTopology topology, int hopLimit, int maxPendingDeliveries) {
        if (hopLimit < 1) {
            throw new IllegalArgumentException("hop limit must be 1 or more, was " + hopLimit);
        }
        int widest =
                topology.brokers().stream().mapToInt(b -> b.subscriptions().size()).max().orElse(0);
        if (maxPendingDeliveries < Math.max(1, widest)) {
            throw new IllegalArgumentException(
                    "max pending deliveries must be at least the Trigger count of a Broker ("
                            + widest
                            + "), was "
                            + maxPendingDeliveries);
        }
        this.topology = topology;
        this.dispatcher = new Dispatcher(EventDelivery.withDefaultClient());
        this.hopLimit = hopLimit;
        this.pending = new Semaphore(maxPendingDeliveries);
    }

    /** Takes an event sent to a Broker's ingress. Never blocks. */
    public Admission accept(String namespace, String name, CloudEvent event) {
        Optional<BrokerRoutes> broker = topology.broker(namespace, name);
        if (broker.isEmpty()) {
            return Admission.UNKNOWN_BROKER;
        }
        int ttl = ttlOf(event);
        if (ttl <= 0) {
            LOG.warnf(
                    "dropping event id=%s dumpid=%s type=%s: its %s is spent",
                    event.getId(), EventAttributes.dumpId(event), event.getType(), TTL_EXTENSION);
            return Admission.ACCEPTED;
        }
        List<Subscription> matching = broker.get().matching(event);
        if (!pending.tryAcquire(matching.size())) {
            return Admission.OVERLOADED;
        }
        fanOut(broker.get(), matching, event, ttl);
        return Admission.ACCEPTED;
    }

    /** The Brokers and Triggers this broker routes by. */
    public BrokerTopology topology() {
        return topology;
    }

    /**
     * Waits until no delivery is under way, the routing of their replies included.
     *
     * @return false if deliveries were still under way when the timeout ran out
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    /** Stops the workers; deliveries still waiting for a retry are abandoned, and say so. */
    @Override
    public void close() {
        List<Runnable> abandoned = workers.shutdownNow();
        if (!abandoned.isEmpty()) {
            LOG.warnf("local broker stopped with %d deliveries not started", abandoned.size());
        }
    }

    /** Permits for {@code matching} are held by the caller and released per delivery. */
    private void fanOut(
            BrokerRoutes broker, List<Subscription> matching, CloudEvent event, int ttl) {
        if (matching.isEmpty()) {
            LOG.infof(
                    "event id=%s dumpid=%s type=%s matches no Trigger of %s/%s",
                    event.getId(),
                    EventAttributes.dumpId(event),
                    event.getType(),
                    broker.namespace(),
                    broker.name());
            return;
        }
        // Like Knative, subscribers never see the hop counter; it is restored on the reply.
        CloudEvent outgoing = CloudEventBuilder.from(event).withoutExtension(TTL_EXTENSION).build();
        for (Subscription subscription : matching) {
            synchronized (idle) {
                inFlight++;
            }
            Runnable task =
                    () -> {
                        try {
                            Optional<CloudEvent> reply;
                            try {
                                reply = dispatcher.deliver(subscription, outgoing);
                            } finally {
                                pending.release();
                            }
                            reply.ifPresent(r -> reenter(broker, r, ttl - 1));
                        } catch (RuntimeException e) {
                            LOG.errorf(
                                    e,
                                    "event id=%s dumpid=%s lost on trigger %s: unexpected error",
                                    event.getId(),
                                    EventAttributes.dumpId(event),
                                    subscription.trigger());
                        } finally {
                            synchronized (idle) {
                                if (--inFlight == 0) {
                                    idle.notifyAll();
                                }
                            }
                        }
                    };
            try {
                workers.execute(task);
            } catch (RejectedExecutionException e) {
                pending.release();
                synchronized (idle) {
                    if (--inFlight == 0) {
                        idle.notifyAll();
                    }
                }
                LOG.warnf(
                        "event id=%s dumpid=%s not delivered to trigger %s: the broker is stopped",
                        event.getId(), EventAttributes.dumpId(event), subscription.trigger());
            }
        }
    }

    /** Runs on a worker that holds no permit, so waiting for permits cannot deadlock. */
    private void reenter(BrokerRoutes broker, CloudEvent reply, int ttl) {
        if (ttl <= 0) {
            LOG.errorf(
                    "dropping reply id=%s dumpid=%s type=%s: it went through the broker %d times;"
                            + " is a Trigger routing replies back to their sender?",
                    reply.getId(), EventAttributes.dumpId(reply), reply.getType(), hopLimit);
            return;
        }
        List<Subscription> matching = broker.matching(reply);
        try {
            pending.acquire(matching.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warnf(
                    "reply id=%s dumpid=%s not routed: the broker is stopping",
                    reply.getId(), EventAttributes.dumpId(reply));
            return;
        }
        fanOut(broker, matching, reply, ttl);
    }

    private int ttlOf(CloudEvent event) {
        Object ttl = event.getExtension(TTL_EXTENSION);
        if (ttl == null) {
            return hopLimit;
        }
        try {
            return Math.min(hopLimit, Integer.parseInt(ttl.toString().trim()));
        } catch (NumberFormatException e) {
            return hopLimit;
        }
    }
}
