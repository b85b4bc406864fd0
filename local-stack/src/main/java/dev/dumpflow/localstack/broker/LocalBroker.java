package dev.dumpflow.localstack.broker;

import dev.dumpflow.localstack.broker.BrokerTopology.BrokerRoutes;
import dev.dumpflow.localstack.broker.BrokerTopology.Subscription;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * What a Knative Broker promises, in one process: an accepted event goes to every Trigger whose
 * filter it passes, asynchronously on virtual threads; each delivery follows its delivery spec
 * (retries with backoff, then the dead-letter sink); a reply event goes back into the broker, at
 * most {@code hopLimit} times in a chain.
 *
 * <p>With a durable {@link DeliveryJournal}, every delivery is on disk before ingress answers 202
 * and stays there until it ended, its reply's deliveries journaled first: a broker stopped or
 * killed in the middle of its work delivers what it had not finished again when it starts ({@link
 * #leftBeforeStop()}, {@link #resume(List)}). Subscribers see such a delivery twice, which
 * at-least-once allows and every dumpflow function tolerates.
 */
public final class LocalBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalBroker.class);

    /** What ingress makes of an event. */
    public enum Admission {
        /** Taken: delivered to the matching Triggers, if any, in the background. */
        ACCEPTED,
        /** No such Broker in the manifests. */
        UNKNOWN_BROKER,
        /** Too many deliveries pending; the sender should retry later. */
        OVERLOADED,
        /** The journal could not store the event; the sender should retry later. */
        NOT_STORED
    }

    private final BrokerTopology topology;
    private final Dispatcher dispatcher;
    private final DeliveryJournal journal;
    private final HopLimit hopLimit;
    private final Semaphore pending;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final InFlight inFlight = new InFlight();

    /** A broker that keeps its pending deliveries in memory only. */
    public LocalBroker(BrokerTopology topology, int hopLimit, int maxPendingDeliveries) {
        this(topology, hopLimit, maxPendingDeliveries, DeliveryJournal.none());
    }

    /**
     * A broker over the given topology.
     *
     * @param hopLimit how many times a chain of replies may re-enter the broker
     * @param maxPendingDeliveries how many deliveries may wait or run at once
     * @param journal where pending deliveries are kept
     */
    LocalBroker(
            BrokerTopology topology,
            int hopLimit,
            int maxPendingDeliveries,
            DeliveryJournal journal) {
        this.hopLimit = new HopLimit(hopLimit);
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
        this.journal = journal;
        this.pending = new Semaphore(maxPendingDeliveries);
    }

    /**
     * Takes an event sent to a Broker's ingress. Never waits for a subscriber; with a durable
     * journal it waits for the disk.
     */
    public Admission accept(String namespace, String name, CloudEvent event) {
        Optional<BrokerRoutes> broker = topology.broker(namespace, name);
        if (broker.isEmpty()) {
            return Admission.UNKNOWN_BROKER;
        }
        int ttl = hopLimit.remaining(event);
        if (ttl <= 0) {
            LOG.warnf(
                    "dropping event id=%s dumpid=%s type=%s: its %s is spent",
                    event.getId(),
                    EventAttributes.dumpId(event),
                    event.getType(),
                    HopLimit.EXTENSION);
            return Admission.ACCEPTED;
        }
        List<Subscription> matching = broker.get().matching(event);
        if (!pending.tryAcquire(matching.size())) {
            return Admission.OVERLOADED;
        }
        return fanOut(broker.get(), matching, event, ttl)
                ? Admission.ACCEPTED
                : Admission.NOT_STORED;
    }

    /**
     * What the journal holds from before a stop, oldest first. Read it before ingress takes events:
     * afterwards the journal also holds this run's own deliveries, which are under way.
     */
    List<DeliveryJournal.Entry> leftBeforeStop() throws IOException {
        return journal.pending();
    }

    /**
     * Delivers again what a stop left in the journal, each with the whole of its delivery spec.
     * Call once, with {@link #leftBeforeStop()} read before ingress took events; the deliveries may
     * start later, once their subscribers listen.
     *
     * @return how many deliveries were resumed
     */
    int resume(List<DeliveryJournal.Entry> left) {
        int resumed = 0;
        for (DeliveryJournal.Entry entry : left) {
            Optional<BrokerRoutes> broker = topology.broker(entry.broker());
            Optional<Subscription> subscription =
                    broker.flatMap(b -> b.subscription(entry.trigger()));
            if (subscription.isEmpty()) {
                LOG.errorf(
                        "journaled event id=%s dumpid=%s type=%s not delivered: the manifests no"
                                + " longer have Trigger %s of Broker %s",
                        entry.event().getId(),
                        EventAttributes.dumpId(entry.event()),
                        entry.event().getType(),
                        entry.trigger(),
                        entry.broker());
                journal.remove(entry);
                continue;
            }
            pending.acquireUninterruptibly();
            dispatch(broker.orElseThrow(), subscription.get(), entry);
            resumed++;
        }
        if (resumed > 0) {
            LOG.infof(
                    "local broker resumed %d deliveries journaled before it stopped (%s)",
                    resumed, journal);
        }
        return resumed;
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
        return inFlight.awaitNone(timeout);
    }

    /** Stops the workers; deliveries still waiting for a retry are abandoned, and say so. */
    @Override
    public void close() {
        List<Runnable> abandoned = workers.shutdownNow();
        if (!abandoned.isEmpty()) {
            LOG.warnf("local broker stopped with %d deliveries not started", abandoned.size());
        }
    }

    /**
     * Journals one delivery per matching Trigger, then starts them. Permits for {@code matching}
     * are held by the caller and released per delivery.
     *
     * @return false, with the permits released and nothing started, when the journal failed
     */
    private boolean fanOut(
            BrokerRoutes broker, List<Subscription> matching, CloudEvent event, int ttl) {
        if (matching.isEmpty()) {
            LOG.infof(
                    "event id=%s dumpid=%s type=%s matches no Trigger of %s",
                    event.getId(), EventAttributes.dumpId(event), event.getType(), broker.id());
            return true;
        }
        // Like Knative, subscribers never see the hop counter; it is restored on the reply.
        CloudEvent outgoing = HopLimit.withoutCounter(event);
        List<DeliveryJournal.Entry> entries = new ArrayList<>(matching.size());
        try {
            for (Subscription subscription : matching) {
                entries.add(journal.store(broker.id(), subscription.trigger(), ttl, outgoing));
            }
        } catch (IOException e) {
            entries.forEach(journal::remove);
            pending.release(matching.size());
            LOG.errorf(
                    "event id=%s dumpid=%s type=%s not accepted: the journal %s could not store it"
                            + " (%s)",
                    event.getId(), EventAttributes.dumpId(event), event.getType(), journal, e);
            return false;
        }
        for (int i = 0; i < matching.size(); i++) {
            dispatch(broker, matching.get(i), entries.get(i));
        }
        return true;
    }

    /**
     * Delivers a journaled event on a worker, routes its reply, and forgets it once both are done.
     * One permit is held by the caller and released when the subscriber has answered.
     */
    private void dispatch(
            BrokerRoutes broker, Subscription subscription, DeliveryJournal.Entry entry) {
        CloudEvent event = entry.event();
        inFlight.started();
        Runnable task =
                () -> {
                    boolean ended = true;
                    try {
                        Optional<CloudEvent> reply;
                        try {
                            reply = dispatcher.deliver(subscription, event);
                        } finally {
                            pending.release();
                        }
                        ended =
                                !Thread.currentThread().isInterrupted()
                                        && reply.map(r -> reenter(broker, r, entry.ttl() - 1))
                                                .orElse(true);
                    } catch (RuntimeException e) {
                        LOG.errorf(
                                e,
                                "event id=%s dumpid=%s lost on trigger %s: unexpected error",
                                event.getId(),
                                EventAttributes.dumpId(event),
                                subscription.trigger());
                    } finally {
                        finish(entry, subscription, ended);
                    }
                };
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            pending.release();
            finish(entry, subscription, false);
        }
    }

    private void finish(DeliveryJournal.Entry entry, Subscription subscription, boolean ended) {
        if (ended) {
            journal.remove(entry);
        } else {
            LOG.warnf(
                    "event id=%s dumpid=%s not delivered to trigger %s: the broker is stopping%s",
                    entry.event().getId(),
                    EventAttributes.dumpId(entry.event()),
                    subscription.trigger(),
                    journal.durable()
                            ? "; it stays in the journal and is delivered again at the next start"
                            : " and keeps no journal, so it is lost");
        }
        inFlight.finished();
    }

    /**
     * Routes a reply back into the broker. Runs on a worker that holds no permit, so waiting for
     * permits cannot deadlock.
     *
     * @return whether the reply was dealt with (journaled, or dropped for good); false when the
     *     broker is stopping or the journal failed, so that the delivery that replied is kept
     */
    private boolean reenter(BrokerRoutes broker, CloudEvent reply, int ttl) {
        if (ttl <= 0) {
            LOG.errorf(
                    "dropping reply id=%s dumpid=%s type=%s: it went through the broker %d times;"
                            + " is a Trigger routing replies back to their sender?",
                    reply.getId(),
                    EventAttributes.dumpId(reply),
                    reply.getType(),
                    hopLimit.limit());
            return true;
        }
        List<Subscription> matching = broker.matching(reply);
        try {
            pending.acquire(matching.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return fanOut(broker, matching, reply, ttl);
    }
}
