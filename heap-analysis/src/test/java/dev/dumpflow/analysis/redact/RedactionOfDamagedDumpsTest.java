package dev.dumpflow.analysis.redact;

import static dev.dumpflow.analysis.redact.RedactionFixtures.everyRecordKind;
import static dev.dumpflow.analysis.redact.RedactionFixtures.redact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged dumps: whatever the damage, the redactor either rewrites the dump or refuses it with
 * {@link UnredactableException}; it never fails otherwise, never hangs, and decides the same way
 * whatever the read sizes.
 */
class RedactionOfDamagedDumpsTest {

    @Test
    void randomDamageEndsInARedactionOrARefusalAlike() throws Exception {
        byte[] dump = everyRecordKind(8, 300).bytes();
        Random random = new Random(2121);
        int refused = 0;
        for (int trial = 0; trial < 1500; trial++) {
            byte[] damaged = dump.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            RedactionMode mode = trial % 2 == 0 ? RedactionMode.STRINGS : RedactionMode.PRIMITIVES;

            String whole = outcome(damaged, mode, damaged.length);

            assertThat(outcome(damaged, mode, 7)).as("trial %d", trial).isEqualTo(whole);
            assertThat(outcome(damaged, mode, 1)).as("trial %d", trial).isEqualTo(whole);
            refused += whole.startsWith("refused") ? 1 : 0;
        }
        // Most damage lands in values, which pass, but headers and lengths get hit too.
        assertThat(refused).isBetween(100, 1400);
    }

    /** "redacted" and a digest of the output, or "refused" and the kind and offset. */
    private static String outcome(byte[] input, RedactionMode mode, int chunk) throws Exception {
        try {
            return "redacted " + java.util.Arrays.hashCode(redact(input, mode, chunk));
        } catch (UnredactableException e) {
            return "refused " + e.kind() + " at " + e.offset();
        }
    }
}
