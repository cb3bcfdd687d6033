using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LvsPs.Model;

namespace LvsPs.Remote;

/// <summary>
/// How model objects travel over the control socket: System.Text.Json with converters for addresses and identities,
/// and without the model's derived (get-only, not constructor-bound) properties, which the receiver recomputes. A
/// message must have the shape its type declares: a missing constructor argument or a null where the model does not
/// allow one is a <see cref="JsonException"/>, not a half-built object (the control socket and the state file are read
/// with these options), and nesting is bounded by <see cref="ControlProtocol.MaxDepth"/>.
/// </summary>
public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            MaxDepth = ControlProtocol.MaxDepth,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropDerivedProperties } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new IPAddressConverter());
        options.Converters.Add(new VirtualServiceIdConverter());
        options.Converters.Add(new RealServerIdConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void DropDerivedProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !info.Type.Namespace!.StartsWith("LvsPs.", StringComparison.Ordinal)) return;
        var ctorParams = info.Type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .SelectMany(c => c.GetParameters())
            .Select(p => p.Name!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            var member = info.Type.GetProperty(p.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            bool settable = member?.SetMethod is { IsPublic: true };
            // an internal [JsonInclude] member (a settings record behind an output object, docs/output-objects.md) travels
            bool included = member is null && info.Type.GetProperty(p.Name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.IgnoreCase)?.IsDefined(typeof(JsonIncludeAttribute)) == true;
            if (!settable && !included && !ctorParams.Contains(p.Name)) info.Properties.RemoveAt(i);
        }
    }

    private sealed class IPAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.Parse(reader.GetString() ?? throw new JsonException("An address is required."));

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class VirtualServiceIdConverter : JsonConverter<VirtualServiceId>
    {
        public override VirtualServiceId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            VirtualServiceId.Parse(reader.GetString() ?? string.Empty);

        public override void Write(Utf8JsonWriter writer, VirtualServiceId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class RealServerIdConverter : JsonConverter<RealServerId>
    {
        public override RealServerId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? string.Empty;
            if (!EndpointText.TryParse(text, requirePort: true, out var address, out var port, out var error)) throw new JsonException(error);
            return new RealServerId(address!, port!.Value);
        }

        public override void Write(Utf8JsonWriter writer, RealServerId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
