package io.duckload.docs;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * The property names of a {@code @ConfigMapping} interface, read by reflection as SmallRye Config names them: a
 * method's {@code @WithName}, else its name in kebab-case (the mapping's default naming strategy); nested
 * interfaces are groups, a {@code Map<String, group>} adds one segment per entry, written {@code <dataset>} for
 * {@code datasets} (the map's name without its plural s), {@code Optional} is unwrapped.
 */
final class ConfigKeys {

    private ConfigKeys() {
    }

    /** Every leaf key of the mapping, with its {@code @WithDefault} (null when it has none), sorted by key. */
    static Map<String, String> of(Class<?> mapping) {
        Map<String, String> keys = new TreeMap<>();
        collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, keys);
        return keys;
    }

    private static void collect(String prefix, Class<?> group, Map<String, String> keys) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name(method);
            Type type = unwrapOptional(method.getGenericReturnType());
            if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
                String entry = key + ".<" + name(method).replaceFirst("s$", "") + ">";
                Type value = unwrapOptional(map.getActualTypeArguments()[1]);
                if (isGroup(value)) {
                    collect(entry, (Class<?>) value, keys);
                } else {
                    keys.put(entry, null);
                }
            } else if (isGroup(type)) {
                collect(key, (Class<?>) type, keys);
            } else {
                WithDefault value = method.getAnnotation(WithDefault.class);
                keys.put(key, value == null ? null : value.value());
            }
        }
    }

    private static String name(Method method) {
        WithName name = method.getAnnotation(WithName.class);
        return name != null ? name.value() : method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Type unwrapOptional(Type type) {
        if (type instanceof ParameterizedType optional && optional.getRawType() == Optional.class) {
            return optional.getActualTypeArguments()[0];
        }
        return type;
    }

    /** A configuration group: an interface of the application (not a JDK type such as List). */
    private static boolean isGroup(Type type) {
        return type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("io.duckload.");
    }
}
