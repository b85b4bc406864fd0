package dev.dumpflow.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.dumpflow.events.EventTypes;
import java.io.IOException;
import java.util.Set;

/** Validates event data against the contract's JSON Schema for its type, from the classpath. */
public final class ContractSchemas {

    private static final JsonSchemaFactory SCHEMAS =
            JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    builder ->
                            builder.schemaMappers(
                                    mappers ->
                                            mappers.mapPrefix(
                                                    "https://dumpflow.dev/schemas/v1/",
                                                    "classpath:schemas/v1/")));

    private ContractSchemas() {}

    /** The violations of the type's schema; empty when the data follows the contract. */
    public static Set<ValidationMessage> violations(String type, byte[] data) throws IOException {
        JsonNode json = new ObjectMapper().readTree(data);
        return SCHEMAS.getSchema(
                        SchemaLocation.of(EventTypes.dataSchema(type).toString()),
                        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build())
                .validate(json);
    }
}
