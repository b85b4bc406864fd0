package dev.dumpflow.functions.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * terraform/ checked in the build, since no terraform binary can run here: the module and its
 * example parse, and the module agrees with the code on prefixes, rule IDs and retention defaults.
 */
class TerraformModuleTest {

    private static final Path MODULE =
            Path.of(System.getProperty("dumpflow-test.terraform-dir", "../terraform"))
                    .toAbsolutePath()
                    .normalize();

    @TempDir Path copy;

    @Test
    void moduleAndExampleParseAndAgreeWithTheCode() {
        assertThat(TerraformConsistency.problems(MODULE)).isEmpty();
    }

    @Test
    void checksEveryFileOfTheModuleAndTheExample() {
        assertThat(TerraformFile.parseAll(MODULE))
                .extracting(f -> MODULE.relativize(f.path()).toString())
                .contains(
                        "versions.tf",
                        "main.tf",
                        "iam.tf",
                        "variables.tf",
                        "outputs.tf",
                        "examples/complete/main.tf",
                        "examples/complete/versions.tf");
    }

    @Test
    void reportsALifecyclePrefixThatDriftedFromTheStorageLayout() throws IOException {
        Path module =
                brokenCopy("main.tf", "dumps_prefix = \"dumps/\"", "dumps_prefix = \"dump/\"");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(p -> assertThat(p).contains("local.dumps_prefix").contains("dump/"))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("filter prefix of lifecycle rule dumpflow-dumps"))
                .anySatisfy(p -> assertThat(p).contains("statement DumpObjects"));
    }

    @Test
    void reportsAHistogramsPrefixThatDriftedFromTheStorageLayout() throws IOException {
        Path module =
                brokenCopy(
                        "iam.tf",
                        "histograms_prefix = \"index/_histograms/\"",
                        "histograms_prefix = \"histograms/\"");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(
                        p ->
                                assertThat(p)
                                        .contains("local.histograms_prefix")
                                        .contains("histograms/"));
    }

    @Test
    void reportsAnIamResourceOutsideTheStorageLayout() throws IOException {
        Path module =
                brokenCopy(
                        "iam.tf",
                        "resources = [\"${aws_s3_bucket.this.arn}/${local.index_prefix}*\"]",
                        "resources = [\"${aws_s3_bucket.this.arn}/*\"]");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(p -> assertThat(p).startsWith("iam.tf: statement IndexObjects grants"));
    }

    @Test
    void reportsADeleteGrantOnTheAuditTrail() throws IOException {
        Path module =
                brokenCopy(
                        "iam.tf",
                        "actions   = [\"s3:PutObject\"]\n    resources = [\"${aws_s3_bucket.this.arn}/${local.audit_prefix}*\"]",
                        "actions   = [\"s3:PutObject\", \"s3:DeleteObject\"]\n    resources = [\"${aws_s3_bucket.this.arn}/${local.audit_prefix}*\"]");

        assertThat(TerraformConsistency.problems(module))
                .containsExactly(
                        "iam.tf: statement AuditObjects allows [s3:PutObject, s3:DeleteObject] on"
                                + " ${aws_s3_bucket.this.arn}/audit/*, where only s3:PutObject is"
                                + " allowed");
    }

    @Test
    void reportsAnAuditRuleThatDriftedFromTheStorageLayout() throws IOException {
        Path module =
                brokenCopy("main.tf", "audit_prefix = \"audit/\"", "audit_prefix = \"audits/\"");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(p -> assertThat(p).contains("local.audit_prefix").contains("audits/"))
                .anySatisfy(p -> assertThat(p).contains("lifecycle rule dumpflow-audit"))
                .anySatisfy(p -> assertThat(p).contains("statement AuditObjects"));
    }

    @Test
    void reportsAReadGrantOnTheKeptOriginals() throws IOException {
        Path module =
                brokenCopy(
                        "iam.tf",
                        "      \"s3:PutObject\",\n      \"s3:AbortMultipartUpload\",\n    ]\n    resources = [\"${aws_s3_bucket.this.arn}/${local.raw_prefix}*\"]",
                        "      \"s3:PutObject\",\n      \"s3:GetObject\",\n    ]\n    resources = [\"${aws_s3_bucket.this.arn}/${local.raw_prefix}*\"]");

        assertThat(TerraformConsistency.problems(module))
                .containsExactly(
                        "iam.tf: statement RawObjects lets the functions read"
                                + " ${aws_s3_bucket.this.arn}/raw/* ([s3:PutObject, s3:GetObject]),"
                                + " which only break-glass principals may");
    }

    @Test
    void reportsARawRuleThatDriftedFromTheStorageLayout() throws IOException {
        Path module = brokenCopy("main.tf", "raw_prefix = \"raw/\"", "raw_prefix = \"originals/\"");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(p -> assertThat(p).contains("local.raw_prefix").contains("originals/"))
                .anySatisfy(p -> assertThat(p).contains("lifecycle rule dumpflow-raw"))
                .anySatisfy(p -> assertThat(p).contains("statement RawObjects"));
    }

    @Test
    void reportsAVariableWithoutDescription() throws IOException {
        Path module =
                brokenCopy(
                        "examples/complete/variables.tf",
                        "  description = \"Name of the EKS cluster whose dumpflow functions use the bucket.\"\n",
                        "");

        assertThat(TerraformConsistency.problems(module))
                .containsExactly(
                        "examples/complete/variables.tf: variable \"cluster_name\" has no description");
    }

    @Test
    void reportsAVariableWithoutType() throws IOException {
        Path module =
                brokenCopy(
                        "variables.tf",
                        "  type        = bool\n  description = \"Whether terraform destroy",
                        "  description = \"Whether terraform destroy");

        assertThat(TerraformConsistency.problems(module))
                .containsExactly("variables.tf: variable \"force_destroy\" has no type");
    }

    @Test
    void reportsARetentionDefaultThatDriftedFromTheFunctions() throws IOException {
        Path module = brokenCopy("variables.tf", "default     = 14\n", "default     = 7\n");

        assertThat(TerraformConsistency.problems(module))
                .containsExactly(
                        "variables.tf: default of dump_retention_days is 7, but RetentionConfig.dumpDays() defaults to 14");
    }

    @Test
    void reportsAStorageClassListThatDriftedFromTheFunctions() throws IOException {
        Path module =
                brokenCopy(
                        "variables.tf",
                        ", \"DEEP_ARCHIVE\"], var.transition_storage_class)",
                        "], var.transition_storage_class)");

        assertThat(TerraformConsistency.problems(module))
                .singleElement()
                .asString()
                .startsWith("variables.tf: transition_storage_class accepts");
    }

    @Test
    void reportsALeastTransitionAgeThatDriftedFromTheFunctions() throws IOException {
        Path module =
                brokenCopy(
                        "variables.tf",
                        "{ STANDARD_IA = 30, ONEZONE_IA = 30 }",
                        "{ STANDARD_IA = 20, ONEZONE_IA = 30 }");

        assertThat(TerraformConsistency.problems(module))
                .singleElement()
                .asString()
                .startsWith("variables.tf: transition_days sets least days");
    }

    @Test
    void reportsARuleIdTheFunctionsDoNotUse() throws IOException {
        Path module =
                brokenCopy("main.tf", "id     = \"dumpflow-index\"", "id     = \"index-expiry\"");

        assertThat(TerraformConsistency.problems(module))
                .contains("main.tf: no lifecycle rule with id \"dumpflow-index\" (RetentionRules)");
    }

    @Test
    void reportsASyntaxErrorWithItsFile() throws IOException {
        Path module =
                brokenCopy("outputs.tf", "output \"bucket_arn\" {", "output \"bucket_arn\" {{");

        assertThat(TerraformConsistency.problems(module))
                .anySatisfy(p -> assertThat(p).startsWith("outputs.tf: syntax error"));
    }

    /** A copy of the module with one text replaced in one file; fails if the text is not there. */
    private Path brokenCopy(String file, String text, String replacement) throws IOException {
        try (Stream<Path> files = Files.walk(MODULE)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(MODULE.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path broken = copy.resolve(file);
        String original = Files.readString(broken);
        assertThat(original).as("text to break in " + file).contains(text);
        Files.writeString(broken, original.replace(text, replacement));
        return copy;
    }
}
