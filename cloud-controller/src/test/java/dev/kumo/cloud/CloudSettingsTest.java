package dev.kumo.cloud;

import dev.kumo.cloud.aws.AwsCloudConfig;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A function builds only the cloud parts its settings grant ({@link CloudPart#ENV_PARTS}). */
class CloudSettingsTest {
    private static Map<String, String> aws(String parts) {
        Map<String, String> settings = new HashMap<>(Map.of(CloudSettings.ENV_PROVIDER, CloudSettings.AWS,
                AwsCloudConfig.ENV_CLUSTER, "prod", "AWS_REGION", "eu-west-1"));
        if (parts != null) {
            settings.put(CloudPart.ENV_PARTS, parts);
        }
        return settings;
    }

    @Test
    void buildsTheGrantedPartsAndRefusesTheOthersNamingThem() {
        Map<String, String> settings = aws("routes,instance-lookup");
        assertThat(CloudSettings.routes(settings)).isNotNull();
        assertThat(CloudSettings.instanceLookup(settings)).isNotNull();
        assertThatThrownBy(() -> CloudSettings.instances(settings)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cloud part instances (KUMO_CLOUD_PARTS=instance-lookup,routes)");
        assertThatThrownBy(() -> CloudSettings.loadBalancers(settings))
                .hasMessageContaining("cloud part load-balancers");
    }

    /** Launching and terminating instances is not granted by the right to look them up, nor the other way. */
    @Test
    void instancesAndTheirLookupAreGrantedApart() {
        assertThatThrownBy(() -> CloudSettings.instanceLookup(aws("instances")))
                .hasMessageContaining("cloud part instance-lookup");
        assertThatThrownBy(() -> CloudSettings.instances(aws("instance-lookup")))
                .hasMessageContaining("cloud part instances");
        assertThatThrownBy(() -> CloudSettings.routes(aws(""))).hasMessageContaining("KUMO_CLOUD_PARTS=)");
    }

    /** The local cluster's functions set no grant: every part. */
    @Test
    void noGrantMeansEveryPart() {
        assertThat(CloudPart.granted(aws(null))).isEqualTo(EnumSet.allOf(CloudPart.class));
        assertThat(CloudSettings.instances(aws(null))).isNotNull();
        assertThat(CloudSettings.loadBalancers(aws(null))).isNotNull();
    }

    @Test
    void theSettingNamesEveryPartAndRejectsUnknownNames() {
        String all = CloudPart.setting(EnumSet.allOf(CloudPart.class));
        assertThat(all).isEqualTo("instances,instance-lookup,load-balancers,routes");
        assertThat(CloudPart.granted(Map.of(CloudPart.ENV_PARTS, all))).isEqualTo(EnumSet.allOf(CloudPart.class));
        assertThat(CloudPart.granted(Map.of(CloudPart.ENV_PARTS, " routes , "))).containsExactly(CloudPart.ROUTES);
        assertThatThrownBy(() -> CloudPart.granted(Map.of(CloudPart.ENV_PARTS, "instances,route")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no cloud part \"route\"");
    }
}
