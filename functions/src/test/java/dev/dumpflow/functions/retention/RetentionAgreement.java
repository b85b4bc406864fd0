package dev.dumpflow.functions.retention;

import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.openrewrite.hcl.HclIsoVisitor;
import org.openrewrite.hcl.tree.Hcl;

/**
 * The numbers of retention, one source of truth: the Terraform variables' defaults are {@link
 * RetentionConfig}'s, and the storage classes with their least days are {@link TransitionClass}'s.
 */
final class RetentionAgreement {

    /** Terraform variable defaults that must equal a {@link RetentionConfig} default. */
    private static final Map<String, String> DEFAULTS_FROM_CONFIG =
            Map.of(
                    "dump_retention_days", "dumpDays",
                    "index_retention_days", "indexDays",
                    "abort_incomplete_multipart_upload_days", "abortIncompleteMultipartDays",
                    "transition_storage_class", "transitionStorageClass");

    private final List<TerraformFile> module;
    private final Map<String, String> locals;
    private final List<String> problems;

    RetentionAgreement(
            List<TerraformFile> module, Map<String, String> locals, List<String> problems) {
        this.module = module;
        this.locals = locals;
        this.problems = problems;
    }

    void check() {
        DEFAULTS_FROM_CONFIG.forEach(this::checkDefault);
        checkStorageClasses();
        checkMinimumDays();
    }

    private void checkDefault(String variable, String method) {
        String fromConfig = configDefault(method);
        String fromTerraform =
                TerraformFile.find(module, "variable", variable)
                        .flatMap(v -> TerraformFile.attribute(v, "default"))
                        .map(e -> TerraformFile.render(e, locals))
                        .orElse(null);
        if (!sameValue(fromTerraform, fromConfig)) {
            problems.add(
                    "variables.tf: default of %s is %s, but RetentionConfig.%s() defaults to %s"
                            .formatted(variable, fromTerraform, method, fromConfig));
        }
    }

    /** The classes that the validation of transition_storage_class accepts. */
    private void checkStorageClasses() {
        Set<String> fromTerraform = new HashSet<>();
        TerraformFile.find(module, "variable", "transition_storage_class")
                .ifPresent(
                        v ->
                                new HclIsoVisitor<Set<String>>() {
                                    @Override
                                    public Hcl.Tuple visitTuple(Hcl.Tuple tuple, Set<String> out) {
                                        out.addAll(TerraformFile.renderAll(tuple, locals));
                                        return tuple;
                                    }
                                }.visit(v, fromTerraform));
        Set<String> fromCode =
                Arrays.stream(TransitionClass.values()).map(Enum::name).collect(Collectors.toSet());
        if (!fromTerraform.equals(fromCode)) {
            problems.add(
                    "variables.tf: transition_storage_class accepts %s, but TransitionClass has %s"
                            .formatted(fromTerraform, fromCode));
        }
    }

    /** The object of least days per class in the validation of transition_days. */
    private void checkMinimumDays() {
        Map<String, String> fromTerraform = new LinkedHashMap<>();
        TerraformFile.find(module, "variable", "transition_days")
                .ifPresent(
                        v ->
                                new HclIsoVisitor<Map<String, String>>() {
                                    @Override
                                    public Hcl.ObjectValue visitObjectValue(
                                            Hcl.ObjectValue object, Map<String, String> out) {
                                        for (var element : object.getAttributes()) {
                                            if (element instanceof Hcl.Attribute a) {
                                                out.put(
                                                        TerraformFile.render(a.getName(), locals),
                                                        TerraformFile.render(a.getValue(), locals));
                                            }
                                        }
                                        return object;
                                    }
                                }.visit(v, fromTerraform));
        Map<String, String> fromCode =
                Arrays.stream(TransitionClass.values())
                        .filter(c -> c.minimumDays() > 0)
                        .collect(
                                Collectors.toMap(Enum::name, c -> String.valueOf(c.minimumDays())));
        boolean same =
                fromTerraform.keySet().equals(fromCode.keySet())
                        && fromCode.entrySet().stream()
                                .allMatch(
                                        e ->
                                                sameValue(
                                                        fromTerraform.get(e.getKey()),
                                                        e.getValue()));
        if (!same) {
            problems.add(
                    "variables.tf: transition_days sets least days %s, but TransitionClass has %s"
                            .formatted(fromTerraform, fromCode));
        }
    }

    private static String configDefault(String method) {
        try {
            return RetentionConfig.class.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("RetentionConfig has no " + method + "()", e);
        }
    }

    private static boolean sameValue(String terraform, String code) {
        if (terraform == null || code == null) {
            return false;
        }
        try {
            return new BigDecimal(terraform).compareTo(new BigDecimal(code)) == 0;
        } catch (NumberFormatException notNumbers) {
            return terraform.equals(code);
        }
    }
}
