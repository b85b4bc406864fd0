package dev.dumpflow.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassNamesTest {

    @Test
    void printsClassNamesAsJavaDoes() {
        assertThat(ClassNames.forPeople("java/lang/String")).isEqualTo("java.lang.String");
        assertThat(ClassNames.forPeople("[B")).isEqualTo("byte[]");
        assertThat(ClassNames.forPeople("[[J")).isEqualTo("long[][]");
        assertThat(ClassNames.forPeople("[Ljava/lang/Object;")).isEqualTo("java.lang.Object[]");
        assertThat(ClassNames.forPeople("[[Ljava/util/Map$Entry;"))
                .isEqualTo("java.util.Map$Entry[][]");
    }

    @Test
    void printsHiddenClassesWithASlashAsClassGetNameDoes() {
        assertThat(ClassNames.forPeople("java/lang/invoke/LambdaForm$MH+0x0000000801001000"))
                .isEqualTo("java.lang.invoke.LambdaForm$MH/0x0000000801001000");
    }
}
