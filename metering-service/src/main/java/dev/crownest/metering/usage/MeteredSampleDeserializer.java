package dev.crownest.metering.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a record of {@code usage-samples} straight into a {@link MeteredSample} with Jackson's
 * streaming parser: every byte is still parsed, but only the six fields metering uses are kept.
 * Binding the whole polymorphic {@code PlatformEvent} (the event id, ISO instants) cost metering
 * more CPU per sample than the rest of its work together, and throughput is CPU here.
 *
 * <p>An event of another type answers null (skipped, its offset advances); a sample without its
 * sandbox or second throws, which the {@code ErrorHandlingDeserializer} around it turns into a
 * null value as well.
 */
public class MeteredSampleDeserializer implements Deserializer<MeteredSample> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String SAMPLE_TYPE = "UsageSampled";

    @Override
    public MeteredSample deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SerializationException("a usage sample is a JSON object");
            }
            String type = null;
            String tenantId = null;
            String sandboxId = null;
            String projectId = null;
            Long second = null;
            int vcpu = 0;
            int memoryMb = 0;
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "type" -> type = text(parser, value);
                    case "tenantId" -> tenantId = text(parser, value);
                    case "sandboxId" -> sandboxId = text(parser, value);
                    case "projectId" -> projectId = text(parser, value);
                    case "second" -> second = parser.getValueAsLong();
                    case "vcpu" -> vcpu = parser.getValueAsInt();
                    case "memoryMb" -> memoryMb = parser.getValueAsInt();
                    default -> parser.skipChildren();
                }
            }
            if (!SAMPLE_TYPE.equals(type)) {
                return null;
            }
            if (sandboxId == null || second == null) {
                throw new SerializationException("a usage sample without sandboxId or second");
            }
            return new MeteredSample(tenantId, sandboxId, projectId, second, vcpu, memoryMb);
        } catch (IOException e) {
            throw new SerializationException("not a usage sample", e);
        }
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : parser.getText();
    }
}
