package dev.dumpflow.functions.retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.SourceFile;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.hcl.tree.BodyContent;
import org.openrewrite.hcl.tree.Expression;
import org.openrewrite.hcl.tree.Hcl;
import org.openrewrite.hcl.tree.Label;

/**
 * One {@code .tf} file parsed by OpenRewrite's HCL2 grammar, with the few reads the consistency
 * checks need. A file that does not parse carries its syntax errors instead of a tree.
 *
 * @param path where the file is
 * @param config the parsed file, or null when it has syntax errors
 * @param syntaxErrors what the parser reported; empty when the file parses
 */
record TerraformFile(Path path, Hcl.ConfigFile config, List<String> syntaxErrors) {

    /** Parses one file. */
    static TerraformFile parse(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> errors = new ArrayList<>();
        var context =
                new InMemoryExecutionContext(
                        e ->
                                errors.add(
                                        String.valueOf(e.getMessage())
                                                .lines()
                                                .findFirst()
                                                .orElse("")));
        List<SourceFile> parsed = HclParser.builder().build().parse(context, text).toList();
        if (parsed.size() == 1
                && parsed.getFirst() instanceof Hcl.ConfigFile config
                && errors.isEmpty()) {
            return new TerraformFile(path, config, List.of());
        }
        if (errors.isEmpty()) {
            errors.add("the parser returned " + parsed);
        }
        return new TerraformFile(path, null, List.copyOf(errors));
    }

    /** Every {@code .tf} file under a directory, sub-directories (the examples) included. */
    static List<TerraformFile> parseAll(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".tf"))
                    .filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted()
                    .map(TerraformFile::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean parses() {
        return config != null;
    }

    /** Top-level blocks of a type, such as {@code variable} or {@code resource}. */
    List<Hcl.Block> blocks(String type) {
        return blocksIn(config.getBody(), type);
    }

    /** The top-level block with this type and these labels, if there is one. */
    Optional<Hcl.Block> block(String type, String... labels) {
        return blocks(type).stream().filter(b -> labels(b).equals(List.of(labels))).findFirst();
    }

    /** The first top-level block with this type and these labels among some files. */
    static Optional<Hcl.Block> find(List<TerraformFile> files, String type, String... labels) {
        return files.stream().map(f -> f.block(type, labels)).flatMap(Optional::stream).findFirst();
    }

    static List<Hcl.Block> blocksIn(List<BodyContent> body, String type) {
        return body.stream()
                .filter(Hcl.Block.class::isInstance)
                .map(Hcl.Block.class::cast)
                .filter(b -> b.getType() != null && b.getType().getName().equals(type))
                .toList();
    }

    static List<String> labels(Hcl.Block block) {
        return block.getLabels().stream().map(TerraformFile::label).toList();
    }

    static Optional<Expression> attribute(Hcl.Block block, String name) {
        return block.getBody().stream()
                .filter(Hcl.Attribute.class::isInstance)
                .map(Hcl.Attribute.class::cast)
                .filter(a -> a.getSimpleName().equals(name))
                .map(Hcl.Attribute::getValue)
                .findFirst();
    }

    /**
     * An expression as text: string literals and templates with {@code local.*} references put in
     * from {@code locals}, any other interpolation kept as {@code ${...}}, anything else as
     * written.
     */
    static String render(Expression expression, Map<String, String> locals) {
        return switch (expression) {
            case Hcl.Literal literal -> String.valueOf(literal.getValue());
            case Hcl.QuotedTemplate template -> {
                StringBuilder text = new StringBuilder();
                for (Expression part : template.getExpressions()) {
                    text.append(render(part, locals));
                }
                yield text.toString();
            }
            case Hcl.TemplateInterpolation interpolation -> {
                String inner = source(interpolation.getExpression());
                yield locals.containsKey(inner) ? locals.get(inner) : "${" + inner + "}";
            }
            default -> {
                String source = source(expression);
                yield locals.getOrDefault(source, source);
            }
        };
    }

    /** The elements of a tuple expression ({@code [a, b]}), each rendered. */
    static List<String> renderAll(Expression expression, Map<String, String> locals) {
        if (expression instanceof Hcl.Tuple tuple) {
            return tuple.getValues().stream().map(v -> render(v, locals)).toList();
        }
        return List.of(render(expression, locals));
    }

    /**
     * A reference ({@code local.x}, {@code aws_s3_bucket.this.arn}) as written; other expressions,
     * which the checks never compare, as their kind.
     */
    private static String source(Expression expression) {
        return switch (expression) {
            case Hcl.Identifier identifier -> identifier.getName();
            case Hcl.VariableExpression variable -> variable.getName().getName();
            case Hcl.AttributeAccess access ->
                    source(access.getAttribute())
                            + "."
                            + access.getPadding().getName().getElement().getName();
            default -> "<" + expression.getClass().getSimpleName() + ">";
        };
    }

    private static String label(Label label) {
        return switch (label) {
            case Hcl.Literal literal -> String.valueOf(literal.getValue());
            case Hcl.Identifier identifier -> identifier.getName();
            default -> String.valueOf(label);
        };
    }
}
