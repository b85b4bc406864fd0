package dev.dumpflow.functions.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dumpflow.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * Mutates one valid {@code dump.closed} event, seeded, into events that must each be refused: bad
 * and truncated JSON, missing and wrong-typed attributes, in binary and structured mode, huge
 * fields, headers and bodies, unknown types, wrong content types, hostile fetch URLs and values
 * that can never succeed (times past the year 9999, names no Kubernetes holds). The valid event
 * points to a dump the sidecar stand-in really serves, so a mutation that slipped through would
 * archive it and leave an object behind.
 */
final class HostileEvents {

    /** One request: what it tries, and the raw parts to send. */
    record Hostile(String category, String what, Map<String, String> headers, byte[] body) {}

    private static final String SOURCE = "/namespaces/shop/pods/checkout/containers/app";

    private final ObjectMapper mapper;
    private final Random random;
    private final ObjectNode data;
    private final String dumpId;
    private final int sidecarPort;
    private final List<Function<Integer, Hostile>> mutations = new ArrayList<>();

    HostileEvents(ObjectMapper mapper, long seed, ObjectNode validData, int sidecarPort) {
        this.mapper = mapper;
        this.random = new Random(seed);
        this.data = validData;
        this.dumpId = validData.get("dumpId").asText();
        this.sidecarPort = sidecarPort;
        mutations.add(i -> truncated());
        mutations.add(i -> brokenStructure());
        mutations.add(i -> garbage());
        mutations.add(i -> notAnObject());
        mutations.add(i -> deeplyNested());
        mutations.add(i -> missingAttribute());
        mutations.add(i -> wrongAttribute());
        mutations.add(i -> unknownType());
        mutations.add(i -> wrongContentType());
        mutations.add(i -> dataNotFittingItsType());
        mutations.add(i -> hugeField());
        mutations.add(i -> hugeHeader());
        mutations.add(i -> hostileFetchUrl());
        mutations.add(i -> structuredMissingOrWrongAttribute());
        mutations.add(i -> structuredBadData());
        mutations.add(i -> structuredBatchOrBase64());
        mutations.add(i -> valueThatCanNeverSucceed());
    }

    /** {@code count} events, plus two bodies over the size limit. */
    List<Hostile> generate(int count) {
        List<Hostile> events = new ArrayList<>(count + 2);
        for (int i = 0; i < count; i++) {
            events.add(mutations.get(random.nextInt(mutations.size())).apply(i));
        }
        String filler = "x".repeat(11 << 20);
        ObjectNode big = data.deepCopy().put("fileName", filler);
        events.add(binary("oversized body", "11 MiB binary-mode body", json(big)));
        events.add(
                structured(
                        "oversized body",
                        "11 MiB structured event",
                        json(envelope(EventTypes.DUMP_CLOSED).set("data", big))));
        return events;
    }

    private Map<String, String> headers(String type) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce-id", UUID.randomUUID().toString());
        headers.put("ce-specversion", "1.0");
        headers.put("ce-type", type);
        headers.put("ce-source", SOURCE);
        headers.put("ce-subject", dumpId);
        headers.put("Content-Type", "application/json");
        return headers;
    }

    private ObjectNode envelope(String type) {
        ObjectNode event = mapper.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("type", type);
        event.put("source", SOURCE);
        event.put("datacontenttype", "application/json");
        return event;
    }

    private Hostile binary(String category, String what, byte[] body) {
        return new Hostile(category, what, headers(EventTypes.DUMP_CLOSED), body);
    }

    private Hostile structured(String category, String what, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/cloudevents+json");
        return new Hostile(category, what, headers, body);
    }

    private byte[] json(Object node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private boolean structuredMode() {
        return random.nextBoolean();
    }

    private Hostile either(String category, String what, byte[] dataBytes, byte[] wholeEvent) {
        return structuredMode()
                ? structured(category, what + " (structured)", wholeEvent)
                : binary(category, what + " (binary)", dataBytes);
    }

    private Hostile truncated() {
        byte[] valid = json(data);
        byte[] event = json(envelope(EventTypes.DUMP_CLOSED).set("data", data));
        int cutData = 1 + random.nextInt(valid.length - 1);
        int cutEvent = 1 + random.nextInt(event.length - 1);
        return structuredMode()
                ? structured("bad JSON", "event cut at " + cutEvent, slice(event, cutEvent))
                : binary("bad JSON", "data cut at " + cutData, slice(valid, cutData));
    }

    private static byte[] slice(byte[] bytes, int length) {
        byte[] cut = new byte[length];
        System.arraycopy(bytes, 0, cut, 0, length);
        return cut;
    }

    /** Replaces a brace, bracket, colon or comma outside any string: never valid JSON. */
    private Hostile brokenStructure() {
        byte[] body = json(data);
        List<Integer> structural = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < body.length; i++) {
            char c = (char) body[i];
            if (c == '"' && (i == 0 || body[i - 1] != '\\')) {
                inString = !inString;
            } else if (!inString && "{}[]:,".indexOf(c) >= 0) {
                structural.add(i);
            }
        }
        int at = pick(structural);
        body[at] =
                pick(
                        List.of(
                                (byte) '#',
                                (byte) ';',
                                (byte) '=',
                                (byte) 0,
                                (byte) '\'',
                                (byte) '<'));
        return binary("bad JSON", "structural byte " + at + " replaced", body);
    }

    private Hostile garbage() {
        byte[] body = new byte[1 + random.nextInt(4096)];
        random.nextBytes(body);
        body[0] = pick(List.of((byte) 'x', (byte) 0, (byte) 0xff, (byte) '}', (byte) '<'));
        return either("bad JSON", "random bytes", body, body);
    }

    private Hostile notAnObject() {
        String text = pick(List.of("", "null", "[]", "42", "\"dump\"", "true", "{}", "[{}]", " "));
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return either("bad JSON", "data " + (text.isBlank() ? "empty" : text), body, body);
    }

    private Hostile deeplyNested() {
        int depth = 2000 + random.nextInt(100_000);
        String body = "[".repeat(depth) + "]".repeat(random.nextBoolean() ? depth : 0);
        return either(
                "bad JSON",
                "nested " + depth + " deep",
                body.getBytes(StandardCharsets.UTF_8),
                ("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\""
                                + EventTypes.DUMP_CLOSED
                                + "\",\"data\":"
                                + body
                                + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private Hostile missingAttribute() {
        String attribute = pick(List.of("ce-id", "ce-source", "ce-type", "ce-specversion"));
        Hostile event = binary("missing attribute", "no " + attribute, json(data));
        event.headers().remove(attribute);
        return event;
    }

    private Hostile wrongAttribute() {
        Hostile event = binary("wrong attribute", "", json(data));
        String attribute = pick(List.of("ce-specversion", "ce-id", "ce-source", "ce-time"));
        String value =
                switch (attribute) {
                    case "ce-specversion" -> pick(List.of("0.3", "2.0", "1", "1.0.0", "one", ""));
                    case "ce-time" ->
                            pick(
                                    List.of(
                                            "yesterday",
                                            "2026-13-45T99:00:00Z",
                                            "1764990000",
                                            "2026-12-06"));
                    default -> pick(List.of("", " ", "\t"));
                };
        event.headers().put(attribute, value);
        return new Hostile(
                event.category(), attribute + "=" + value, event.headers(), event.body());
    }

    private Hostile unknownType() {
        String type =
                pick(
                        List.of(
                                "dev.dumpflow.dump.eaten",
                                "com.example.order.created",
                                "dev.dumpflow.dump.closed.v2",
                                "DEV.DUMPFLOW.DUMP.CLOSED",
                                "x".repeat(1 + random.nextInt(2000))));
        Hostile event = binary("unknown type", "type " + abbreviate(type), json(data));
        event.headers().put("ce-type", type);
        if (structuredMode()) {
            return structured(
                    "unknown type",
                    "type " + abbreviate(type) + " (structured)",
                    json(envelope(type).set("data", data)));
        }
        return event;
    }

    private Hostile wrongContentType() {
        String type =
                pick(
                        List.of(
                                "text/plain",
                                "application/xml",
                                "application/x-www-form-urlencoded",
                                "multipart/form-data; boundary=x",
                                "application/octet-stream",
                                "image/png",
                                "application/cloudevents-batch+json",
                                "application/jsonx",
                                "NONE"));
        Hostile event = binary("wrong content type", type, json(data));
        if (type.equals("NONE")) {
            event.headers().remove("Content-Type");
        } else {
            event.headers().put("Content-Type", type);
        }
        return event;
    }

    /** Well-formed JSON whose fields do not fit DumpClosed, or events of other types. */
    private Hostile dataNotFittingItsType() {
        ObjectNode mutated = data.deepCopy();
        String field =
                pick(
                        List.of(
                                "dumpId",
                                "fileName",
                                "closedAt",
                                "format",
                                "cause",
                                "fetch",
                                "pod",
                                "sizeBytes",
                                "pid",
                                "other-type"));
        String what;
        if (field.equals("other-type")) {
            String type =
                    pick(
                            List.of(
                                    EventTypes.DUMP_ARCHIVED,
                                    EventTypes.DUMP_INDEXED,
                                    EventTypes.DUMP_FAILED,
                                    EventTypes.MEMORY_THRESHOLD_CROSSED));
            Hostile event = binary("data not fitting", "dump.closed data as " + type, json(data));
            event.headers().put("ce-type", type);
            return event;
        }
        int how = random.nextInt(3);
        if (how == 0 && !field.equals("sizeBytes") && !field.equals("pid")) {
            mutated.remove(field);
            what = "no " + field;
        } else if (how == 1) {
            mutated.set(field, mapper.createObjectNode().put("x", 1));
            what = field + " an object";
        } else {
            String value =
                    switch (field) {
                        case "sizeBytes" -> pick(List.of("lots", "-5", "1e400"));
                        case "pid" -> "-1";
                        case "dumpId" -> pick(List.of("../../etc/passwd", "a b", "", "-x"));
                        case "closedAt" -> pick(List.of("not-a-time", "2026-02-30T00:00:00Z"));
                        case "format" -> pick(List.of("ZIP", "hprof2", ""));
                        case "cause" -> pick(List.of("BOREDOM", ""));
                        default -> " ";
                    };
            if (field.equals("pid") || (field.equals("sizeBytes") && !value.equals("lots"))) {
                mutated.set(field, mapper.getNodeFactory().numberNode(Double.parseDouble(value)));
                if (value.equals("-5") || value.equals("-1")) {
                    mutated.put(field, Long.parseLong(value));
                }
            } else if (field.equals("fetch") || field.equals("pod")) {
                mutated.set(field, mapper.createArrayNode().add(1));
            } else {
                mutated.put(field, value);
            }
            what = field + "=" + value;
        }
        return either(
                "data not fitting",
                what,
                json(mutated),
                json(envelope(EventTypes.DUMP_CLOSED).set("data", mutated)));
    }

    private Hostile hugeField() {
        String field = pick(List.of("dumpId", "closedAt", "format", "cause"));
        int size = (64 << 10) + random.nextInt(2 << 20);
        ObjectNode mutated = data.deepCopy().put(field, "a".repeat(size));
        return either(
                "huge field",
                field + " of " + size + " bytes",
                json(mutated),
                json(envelope(EventTypes.DUMP_CLOSED).set("data", mutated)));
    }

    private Hostile hugeHeader() {
        Hostile event = binary("huge header", "", json(data));
        String header = pick(List.of("ce-subject", "ce-source", "ce-id", "ce-dumpid", "X-Filler"));
        int size = (32 << 10) + random.nextInt(64 << 10);
        event.headers().put(header, "h".repeat(size));
        return new Hostile(
                event.category(), header + " of " + size + " bytes", event.headers(), event.body());
    }

    private Hostile hostileFetchUrl() {
        String path = ":" + sidecarPort + "/dumps/" + dumpId;
        String url =
                pick(
                        List.of(
                                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                                "http://169.254.170.2/v2/credentials",
                                "http://[fd00:ec2::254]/latest/meta-data/",
                                "http://[fe80::1%25lo]" + path,
                                "http://[::ffff:169.254.169.254]/",
                                "http://2130706433" + path,
                                "http://0x7f.1" + path,
                                "http://0x7f000001" + path,
                                "http://0177.0.0.1" + path,
                                "http://017700000001" + path,
                                "http://127.1" + path,
                                "http://0.0.0.0" + path,
                                "http://[::]" + path,
                                "http://10.0.0.1" + path,
                                "http://user:secret@127.0.0.1" + path,
                                "file:///etc/passwd",
                                "ftp://127.0.0.1" + path,
                                "gopher://127.0.0.1" + path,
                                "http:///dumps/" + dumpId,
                                "javascript:alert(1)"));
        ObjectNode mutated = data.deepCopy();
        ((ObjectNode) mutated.get("fetch")).put("url", url);
        return either(
                "hostile fetch URL",
                url,
                json(mutated),
                json(envelope(EventTypes.DUMP_CLOSED).set("data", mutated)));
    }

    private Hostile structuredMissingOrWrongAttribute() {
        ObjectNode event = envelope(EventTypes.DUMP_CLOSED);
        event.set("data", data);
        String attribute = pick(List.of("specversion", "id", "source", "type"));
        String what;
        switch (random.nextInt(4)) {
            case 0 -> {
                event.remove(attribute);
                what = "no " + attribute;
            }
            case 1 -> {
                event.set(attribute, mapper.createArrayNode().add(attribute));
                what = attribute + " an array";
            }
            case 2 -> {
                event.putNull(attribute);
                what = attribute + " null";
            }
            default -> {
                if (attribute.equals("specversion")) {
                    event.put(attribute, 1.0);
                    what = "specversion the number 1.0";
                } else {
                    event.put(attribute, "");
                    what = attribute + " empty";
                }
            }
        }
        return structured("missing attribute", what + " (structured)", json(event));
    }

    private Hostile structuredBadData() {
        ObjectNode event = envelope(EventTypes.DUMP_CLOSED);
        String what =
                pick(
                        List.of(
                                "data a string",
                                "data an array",
                                "no data",
                                "datacontenttype text/plain",
                                "time not a time",
                                "data null"));
        switch (what) {
            case "data a string" -> event.put("data", json(data).length + " bytes of dump");
            case "data an array" -> event.set("data", mapper.createArrayNode().add(data));
            case "datacontenttype text/plain" -> {
                event.put("datacontenttype", "text/plain");
                event.put("data", "dump " + dumpId);
            }
            case "time not a time" -> {
                event.put("time", "half past nine");
                event.set("data", data);
            }
            case "data null" -> event.putNull("data");
            default -> {}
        }
        return structured("data not fitting", what + " (structured)", json(event));
    }

    private Hostile structuredBatchOrBase64() {
        ObjectNode event = envelope(EventTypes.DUMP_CLOSED);
        if (random.nextBoolean()) {
            event.put("data_base64", java.util.Base64.getEncoder().encodeToString(json(data)));
            return structured("wrong content type", "data_base64 (structured)", json(event));
        }
        event.set("data", data);
        Hostile batch =
                structured(
                        "wrong content type", "a batch", json(mapper.createArrayNode().add(event)));
        if (random.nextBoolean()) {
            batch.headers().put("Content-Type", "application/cloudevents-batch+json");
        }
        return batch;
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 20) + "...(" + text.length() + ")" : text;
    }

    /** Well-formed data whose values no cluster, key or RFC 3339 time could hold. */
    private Hostile valueThatCanNeverSucceed() {
        ObjectNode mutated = data.deepCopy();
        ObjectNode pod = (ObjectNode) mutated.get("pod");
        ObjectNode fetch = (ObjectNode) mutated.get("fetch");
        String what =
                pick(
                        List.of(
                                "closedAt far future",
                                "expiresAt far future",
                                "closedAt before the epoch",
                                "long namespace",
                                "newline in pod name",
                                "long container",
                                "long label value",
                                "escape in file name",
                                "newline in token"));
        switch (what) {
            case "closedAt far future" -> mutated.put("closedAt", "+1000000000-12-31T23:59:59Z");
            case "expiresAt far future" -> fetch.put("expiresAt", "+999999999-12-31T23:59:59Z");
            case "closedAt before the epoch" -> mutated.put("closedAt", "1969-12-31T23:59:59Z");
            case "long namespace" -> pod.put("namespace", "n".repeat(64 + random.nextInt(2000)));
            case "newline in pod name" -> pod.put("name", "checkout\n2026-12-07 INFO forged");
            case "long container" -> pod.put("container", "c".repeat(64));
            case "long label value" -> ((ObjectNode) pod.get("labels")).put("app", "v".repeat(64));
            case "escape in file name" -> mutated.put("fileName", "java_pid1.hprof\u001b[2J");
            default -> fetch.put("token", fetch.get("token").asText() + "\r\nX-Injected: 1");
        }
        return either(
                "value that can never succeed",
                what,
                json(mutated),
                json(envelope(EventTypes.DUMP_CLOSED).set("data", mutated)));
    }
}
