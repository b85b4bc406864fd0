package dev.dumpflow.functions.retention;

import dev.dumpflow.events.StorageLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openrewrite.hcl.tree.Hcl;

/**
 * Checks {@code terraform/} against the code, without a terraform binary: every file parses, every
 * variable is typed and described, the lifecycle and IAM prefixes are {@link StorageLayout}'s, and
 * the retention defaults and rule IDs are the functions' own. Returns the problems found, each
 * naming its file, so a test can show that a broken module is caught.
 */
final class TerraformConsistency {

    private static final String BUCKET_ARN = "${aws_s3_bucket.this.arn}";

    /**
     * The lifecycle rule of the audit trail. Terraform owns it alone: the functions' own rules
     * ({@code dumpflow.retention.manage}) cover dumps and the index, not the audit trail.
     */
    private static final String AUDIT_RULE_ID = "dumpflow-audit";

    /**
     * The lifecycle rule of the originals kept under a redaction policy: the functions apply it
     * only with keep-original set, so it is not among the rules every bucket gets.
     */
    private static final String RAW_RULE_ID = RetentionRules.RAW_RULE_ID;

    private final Path moduleDir;
    private final List<String> problems = new ArrayList<>();

    private TerraformConsistency(Path moduleDir) {
        this.moduleDir = moduleDir;
    }

    /** Every problem found in the module at {@code moduleDir} and its examples. */
    static List<String> problems(Path moduleDir) {
        TerraformConsistency check = new TerraformConsistency(moduleDir);
        check.run(TerraformFile.parseAll(moduleDir));
        return List.copyOf(check.problems);
    }

    private void run(List<TerraformFile> files) {
        if (files.isEmpty()) {
            problems.add(moduleDir + ": no .tf files");
            return;
        }
        List<TerraformFile> parsed = new ArrayList<>();
        for (TerraformFile file : files) {
            if (file.parses()) {
                parsed.add(file);
            } else {
                file.syntaxErrors().forEach(e -> problem(file, "syntax error: " + e));
            }
        }
        parsed.forEach(this::checkVariables);
        List<TerraformFile> module =
                parsed.stream().filter(f -> f.path().getParent().equals(moduleDir)).toList();
        Map<String, String> locals = locals(module);
        checkLocals(locals);
        checkLifecycleRules(module, locals);
        checkIamPrefixes(module, locals);
        new RetentionAgreement(module, locals, problems).check();
    }

    private void checkVariables(TerraformFile file) {
        for (Hcl.Block variable : file.blocks("variable")) {
            String name = TerraformFile.labels(variable).getFirst();
            if (TerraformFile.attribute(variable, "type").isEmpty()) {
                problem(file, "variable \"" + name + "\" has no type");
            }
            Optional<String> description =
                    TerraformFile.attribute(variable, "description")
                            .map(d -> TerraformFile.render(d, Map.of()));
            if (description.isEmpty() || description.get().isBlank()) {
                problem(file, "variable \"" + name + "\" has no description");
            }
        }
    }

    private static Map<String, String> locals(List<TerraformFile> module) {
        Map<String, String> locals = new HashMap<>();
        for (TerraformFile file : module) {
            for (Hcl.Block block : file.blocks("locals")) {
                // Only constant locals can be put into other expressions; computed ones stay as
                // written.
                for (var content : block.getBody()) {
                    if (content instanceof Hcl.Attribute a
                            && (a.getValue() instanceof Hcl.Literal
                                    || a.getValue() instanceof Hcl.QuotedTemplate)) {
                        locals.put(
                                "local." + a.getSimpleName(),
                                TerraformFile.render(a.getValue(), Map.of()));
                    }
                }
            }
        }
        return locals;
    }

    private void checkLocals(Map<String, String> locals) {
        expect(
                "main.tf",
                "local.dumps_prefix",
                locals.get("local.dumps_prefix"),
                StorageLayout.DUMPS_PREFIX);
        expect(
                "main.tf",
                "local.index_prefix",
                locals.get("local.index_prefix"),
                StorageLayout.INDEX_PREFIX);
        expect(
                "main.tf",
                "local.audit_prefix",
                locals.get("local.audit_prefix"),
                StorageLayout.AUDIT_PREFIX);
        expect(
                "main.tf",
                "local.raw_prefix",
                locals.get("local.raw_prefix"),
                StorageLayout.RAW_PREFIX);
        expect(
                "iam.tf",
                "local.markers_prefix",
                locals.get("local.markers_prefix"),
                StorageLayout.MARKERS_PREFIX);
        expect(
                "iam.tf",
                "local.by_id_prefix",
                locals.get("local.by_id_prefix"),
                StorageLayout.BY_ID_PREFIX);
        expect(
                "iam.tf",
                "local.thresholds_prefix",
                locals.get("local.thresholds_prefix"),
                StorageLayout.THRESHOLDS_PREFIX);
        if (!StorageLayout.BY_ID_PREFIX.startsWith(StorageLayout.INDEX_PREFIX)) {
            problems.add("index/_by-id/ must sit under the index prefix its grant and rule cover");
        }
        expect(
                "iam.tf",
                "local.histograms_prefix",
                locals.get("local.histograms_prefix"),
                StorageLayout.HISTOGRAMS_PREFIX);
        if (!StorageLayout.HISTOGRAMS_PREFIX.startsWith(StorageLayout.INDEX_PREFIX)) {
            problems.add(
                    "index/_histograms/ must sit under the index prefix its grant and rule cover");
        }
        if (!StorageLayout.THRESHOLDS_PREFIX.startsWith(StorageLayout.INDEX_PREFIX)) {
            problems.add(
                    "index/_thresholds/ must sit under the index prefix its grant, listing and"
                            + " rule cover");
        }
    }

    private void checkLifecycleRules(List<TerraformFile> module, Map<String, String> locals) {
        Optional<Hcl.Block> lifecycle =
                TerraformFile.find(
                        module, "resource", "aws_s3_bucket_lifecycle_configuration", "this");
        if (lifecycle.isEmpty()) {
            problems.add("main.tf: no resource aws_s3_bucket_lifecycle_configuration.this");
            return;
        }
        Map<String, String> prefixById = new HashMap<>();
        for (Hcl.Block rule : TerraformFile.blocksIn(lifecycle.get().getBody(), "rule")) {
            String id =
                    TerraformFile.attribute(rule, "id")
                            .map(e -> TerraformFile.render(e, locals))
                            .orElse("?");
            String prefix =
                    TerraformFile.blocksIn(rule.getBody(), "filter").stream()
                            .findFirst()
                            .flatMap(f -> TerraformFile.attribute(f, "prefix"))
                            .map(e -> TerraformFile.render(e, locals))
                            .orElse(null);
            prefixById.put(id, prefix);
        }
        Map<String, String> wanted =
                Map.of(
                        RetentionRules.DUMPS_RULE_ID, StorageLayout.DUMPS_PREFIX,
                        RetentionRules.INDEX_RULE_ID, StorageLayout.INDEX_PREFIX,
                        RetentionRules.ABORT_RULE_ID, StorageLayout.DUMPS_PREFIX);
        wanted.forEach(
                (id, prefix) -> {
                    if (!prefixById.containsKey(id)) {
                        problems.add(
                                "main.tf: no lifecycle rule with id \""
                                        + id
                                        + "\" (RetentionRules)");
                    } else {
                        expect(
                                "main.tf",
                                "filter prefix of lifecycle rule " + id,
                                prefixById.get(id),
                                prefix);
                    }
                });
        terraformOnlyRule(
                prefixById,
                AUDIT_RULE_ID,
                StorageLayout.AUDIT_PREFIX,
                "the download gate's audit trail");
        terraformOnlyRule(
                prefixById,
                RAW_RULE_ID,
                StorageLayout.RAW_PREFIX,
                "originals kept under redaction");
    }

    private void terraformOnlyRule(
            Map<String, String> prefixById, String id, String prefix, String what) {
        if (!prefixById.containsKey(id)) {
            problems.add("main.tf: no lifecycle rule with id \"" + id + "\" (" + what + ")");
        } else {
            expect("main.tf", "filter prefix of lifecycle rule " + id, prefixById.get(id), prefix);
        }
    }

    private void checkIamPrefixes(List<TerraformFile> module, Map<String, String> locals) {
        Optional<Hcl.Block> policy =
                TerraformFile.find(module, "data", "aws_iam_policy_document", "functions");
        if (policy.isEmpty()) {
            problems.add("iam.tf: no data aws_iam_policy_document.functions");
            return;
        }
        Set<String> allowed =
                Set.of(
                        BUCKET_ARN + "/" + StorageLayout.DUMPS_PREFIX + "*",
                        BUCKET_ARN + "/" + StorageLayout.INDEX_PREFIX + "*",
                        BUCKET_ARN + "/" + StorageLayout.MARKERS_PREFIX + "*",
                        BUCKET_ARN + "/" + StorageLayout.AUDIT_PREFIX + "*",
                        BUCKET_ARN + "/" + StorageLayout.RAW_PREFIX + "*");
        String audit = BUCKET_ARN + "/" + StorageLayout.AUDIT_PREFIX + "*";
        String raw = BUCKET_ARN + "/" + StorageLayout.RAW_PREFIX + "*";
        Map<String, List<String>> objectResourcesBySid = new HashMap<>();
        Map<String, List<String>> actionsBySid = new HashMap<>();
        for (Hcl.Block statement : TerraformFile.blocksIn(policy.get().getBody(), "statement")) {
            String sid =
                    TerraformFile.attribute(statement, "sid")
                            .map(e -> TerraformFile.render(e, locals))
                            .orElse("?");
            List<String> resources =
                    TerraformFile.attribute(statement, "resources")
                            .map(e -> TerraformFile.renderAll(e, locals))
                            .orElse(List.of());
            for (String resource : resources) {
                if (resource.startsWith(BUCKET_ARN + "/") && !allowed.contains(resource)) {
                    problems.add(
                            "iam.tf: statement "
                                    + sid
                                    + " grants "
                                    + resource
                                    + ", outside "
                                    + allowed);
                }
            }
            objectResourcesBySid.put(sid, resources);
            List<String> actions =
                    TerraformFile.attribute(statement, "actions")
                            .map(e -> TerraformFile.renderAll(e, locals))
                            .orElse(List.of());
            actionsBySid.put(sid, actions);
            // The audit trail is append-only: nothing the functions or the gate may do removes or
            // replaces a line (a put over an existing key is refused by If-None-Match).
            if (resources.contains(audit) && !actions.equals(List.of("s3:PutObject"))) {
                problems.add(
                        "iam.tf: statement "
                                + sid
                                + " allows "
                                + actions
                                + " on "
                                + audit
                                + ", where only s3:PutObject is allowed");
            }
            // The functions write originals and never read them back: only break-glass may.
            if ((resources.contains(raw) || resources.contains(BUCKET_ARN + "/*"))
                    && actions.stream().anyMatch(a -> a.startsWith("s3:Get") || a.equals("s3:*"))) {
                problems.add(
                        "iam.tf: statement "
                                + sid
                                + " lets the functions read "
                                + raw
                                + " ("
                                + actions
                                + "), which only break-glass principals may");
            }
            for (Hcl.Block condition : TerraformFile.blocksIn(statement.getBody(), "condition")) {
                boolean onPrefix =
                        TerraformFile.attribute(condition, "variable")
                                .map(e -> TerraformFile.render(e, locals))
                                .filter("s3:prefix"::equals)
                                .isPresent();
                if (onPrefix) {
                    List<String> values =
                            TerraformFile.attribute(condition, "values")
                                    .map(e -> TerraformFile.renderAll(e, locals))
                                    .orElse(List.of());
                    expect(
                            "iam.tf",
                            "s3:prefix condition of statement " + sid,
                            Set.copyOf(values),
                            Set.of(
                                    StorageLayout.DUMPS_PREFIX + "*",
                                    StorageLayout.INDEX_PREFIX + "*"));
                }
            }
        }
        expect(
                "iam.tf",
                "resources of statement DumpObjects",
                objectResourcesBySid.get("DumpObjects"),
                List.of(BUCKET_ARN + "/" + StorageLayout.DUMPS_PREFIX + "*"));
        expect(
                "iam.tf",
                "resources of statement AuditObjects",
                objectResourcesBySid.get("AuditObjects"),
                List.of(audit));
        expect(
                "iam.tf",
                "resources of statement RawObjects",
                objectResourcesBySid.get("RawObjects"),
                List.of(raw));
        expect(
                "iam.tf",
                "resources of statement IndexObjects",
                objectResourcesBySid.get("IndexObjects"),
                List.of(BUCKET_ARN + "/" + StorageLayout.INDEX_PREFIX + "*"));
    }

    private void expect(String file, String what, Object actual, Object wanted) {
        if (!wanted.equals(actual)) {
            problems.add(file + ": " + what + " is " + actual + ", but the code uses " + wanted);
        }
    }

    private void problem(TerraformFile file, String message) {
        problems.add(moduleDir.relativize(file.path()) + ": " + message);
    }
}
