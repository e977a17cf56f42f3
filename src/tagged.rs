//! Internally tagged enums (`{"type": "sma_cross", "fast": 10}`) without serde's buffering.
//!
//! serde's `#[serde(tag = "...")]` decodes by first copying the whole object into its private
//! `Content` tree, since the tag may come after the fields, and then decodes every variant from
//! that copy: a second decoder for each type inside, 9 KB of the browser's gzipped module for the
//! strategy config alone. It also loses where in the text a bad field was, so an error could
//! name only the strategy, not the field.
//!
//! Here the enum derives serde's plain (externally tagged) form under `#[serde(remote = "Self")]`,
//! which makes the derived code inherent functions instead of trait impls. [`from_str`] reads
//! JSON text twice: once for the tag, once for the variant's fields with the tag left out, both
//! times through serde_json, so errors keep their positions. [`TagSerializer`] writes the tag
//! first and then the variant's fields, as serde's tagged form does.

use serde::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, IntoDeserializer, MapAccess, Unexpected, Visitor,
};
use serde::ser::{self, Impossible, Serialize, SerializeStruct, Serializer};
use std::fmt;

/// Decodes JSON text `{tag: variant, ...fields}` with `decode`, the enum's derived externally
/// tagged decoder (`Enum::deserialize` under `#[serde(remote = "Self")]`). Unit and struct
/// variants are supported (a unit variant ignores other fields, as serde's tagged form does).
pub fn from_str<'a, T>(
    text: &'a str,
    tag: &'static str,
    decode: fn(TaggedText<'a>) -> serde_json::Result<T>,
) -> serde_json::Result<T> {
    decode(TaggedText { text, tag, name: "" })
}

/// JSON text of an internally tagged enum, as a deserializer for its externally tagged decoder.
pub struct TaggedText<'a> {
    text: &'a str,
    tag: &'static str,
    name: &'static str,
}

impl<'de> Deserializer<'de> for TaggedText<'de> {
    type Error = serde_json::Error;

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> serde_json::Result<V::Value> {
        visitor.visit_enum(TaggedText { name, ..self })
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> serde_json::Result<V::Value> {
        Err(de::Error::custom("an internally tagged value must be an enum"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

impl<'de> de::EnumAccess<'de> for TaggedText<'de> {
    type Error = serde_json::Error;
    type Variant = Self;

    /// The first reading: the tag's value, decoded by `seed` (the enum's variant names).
    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> serde_json::Result<(S::Value, Self)> {
        let variant =
            crate::json::from_str_seed(self.text, Object(FindTag { seed, tag: self.tag, name: self.name }))?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for TaggedText<'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> serde_json::Result<()> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, _seed: S) -> serde_json::Result<S::Value> {
        Err(de::Error::invalid_type(Unexpected::NewtypeVariant, &"a unit or struct variant"))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> serde_json::Result<V::Value> {
        Err(de::Error::invalid_type(Unexpected::TupleVariant, &"a unit or struct variant"))
    }

    /// The second reading: the variant's fields, the tag left out.
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> serde_json::Result<V::Value> {
        crate::json::from_str_seed(self.text, Object(WithoutTag { visitor, tag: self.tag }))
    }
}

/// An object read by the visitor it holds.
struct Object<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Object<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        d.deserialize_map(self.0)
    }
}

/// Reads an object for the value of its `tag` key, skipping the rest.
struct FindTag<S> {
    seed: S,
    tag: &'static str,
    name: &'static str,
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for FindTag<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "internally tagged enum {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
        let mut seed = Some(self.seed);
        let mut variant = None;
        while let Some(is_tag) = map.next_key_seed(KeyIs(self.tag))? {
            if !is_tag {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let seed = seed.take().ok_or_else(|| de::Error::duplicate_field(self.tag))?;
            variant = Some(map.next_value_seed(seed)?);
        }
        variant.ok_or_else(|| de::Error::missing_field(self.tag))
    }
}

/// A map key, read as whether it is the tag.
struct KeyIs(&'static str);

impl<'de> DeserializeSeed<'de> for KeyIs {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// Hands a variant's visitor the object's fields without the tag.
struct WithoutTag<V> {
    visitor: V,
    tag: &'static str,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for WithoutTag<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Fields { map, tag: self.tag })
    }
}

/// An object's entries other than the tag.
struct Fields<A> {
    map: A,
    tag: &'static str,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if key != self.tag {
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            self.map.next_value::<IgnoredAny>()?;
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Serializes the derived externally tagged form of an enum (`Enum::serialize` under
/// `#[serde(remote = "Self")]`) as the internally tagged one: a struct whose first field is `tag`.
pub struct TagSerializer<S> {
    inner: S,
    tag: &'static str,
}

impl<S> TagSerializer<S> {
    /// Wraps `inner`, naming the variant in the field `tag`.
    pub fn new(inner: S, tag: &'static str) -> Self {
        TagSerializer { inner, tag }
    }

    fn only_variants<T, E: ser::Error>() -> Result<T, E> {
        Err(ser::Error::custom("an internally tagged value must be a unit or struct variant"))
    }
}

macro_rules! only_variants {
    ($($method:ident($($arg:ty),*))*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<S::Ok, S::Error> {
            Self::only_variants()
        }
    )*};
}

impl<S: Serializer> Serializer for TagSerializer<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = TaggedFields<S::SerializeStruct>;

    only_variants! {
        serialize_bool(bool) serialize_i8(i8) serialize_i16(i16) serialize_i32(i32) serialize_i64(i64)
        serialize_u8(u8) serialize_u16(u16) serialize_u32(u32) serialize_u64(u64) serialize_f32(f32)
        serialize_f64(f64) serialize_char(char) serialize_str(&str) serialize_bytes(&[u8])
        serialize_none() serialize_unit() serialize_unit_struct(&'static str)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Self::only_variants()
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Self::only_variants()
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Self::only_variants()
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut s = self.inner.serialize_struct(name, 1)?;
        s.serialize_field(self.tag, variant)?;
        s.end()
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<TaggedFields<S::SerializeStruct>, S::Error> {
        let mut s = self.inner.serialize_struct(name, len + 1)?;
        s.serialize_field(self.tag, variant)?;
        Ok(TaggedFields(s))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Self::only_variants()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Self::only_variants()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Self::only_variants()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Self::only_variants()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Self::only_variants()
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, S::Error> {
        Self::only_variants()
    }
}

/// A struct variant's fields, after the tag.
pub struct TaggedFields<T>(T);

impl<T: SerializeStruct> ser::SerializeStructVariant for TaggedFields<T> {
    type Ok = T::Ok;
    type Error = T::Error;

    fn serialize_field<F: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &F,
    ) -> Result<(), T::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), T::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<T::Ok, T::Error> {
        self.0.end()
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    /// One enum, declared under the representation attributes given.
    macro_rules! cross {
        ($(#[$representation:meta])* $name:ident) => {
            #[derive(Debug, PartialEq, Serialize, Deserialize)]
            $(#[$representation])*
            enum $name {
                Off,
                Cross {
                    fast: u32,
                    #[serde(default)]
                    note: Option<String>,
                    #[serde(default)]
                    inner: serde_json::Value,
                },
            }
        };
    }

    // Read and written through this module.
    cross!(
        #[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
        Ours
    );
    // The same enum as serde's own tagged form reads and writes it: the reference.
    cross!(
        #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
        Serde
    );

    impl Serialize for Ours {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Ours::serialize(self, super::TagSerializer::new(s, "type"))
        }
    }

    fn ours(text: &str) -> serde_json::Result<Ours> {
        super::from_str(text, "type", Ours::deserialize)
    }

    fn same(o: &Ours, s: &Serde) -> bool {
        serde_json::to_value(o).unwrap() == serde_json::to_value(s).unwrap()
    }

    #[test]
    fn reads_and_writes_what_serdes_tagged_form_does() {
        for text in [
            r#"{"type": "off"}"#,
            r#"{"type": "off", "fast": {"deep": [1]}}"#,
            r#"{"type": "cross", "fast": 3}"#,
            r#"{"fast": 3, "note": "n", "type": "cross"}"#,
            r#"{"fast": 3, "inner": {"type": "off", "x": [{"type": 1}]}, "type": "cross"}"#,
            r#"{"ty\u0070e": "cro\u0073s", "fast": 4}"#,
        ] {
            let (o, s) = (ours(text).unwrap(), serde_json::from_str::<Serde>(text).unwrap());
            assert!(same(&o, &s), "{text}");
            assert_eq!(serde_json::to_string(&o).unwrap(), serde_json::to_string(&s).unwrap());
        }
        assert_eq!(serde_json::to_string(&Ours::Off).unwrap(), r#"{"type":"off"}"#);
    }

    #[test]
    fn refuses_what_serdes_tagged_form_does_with_its_messages() {
        for text in [
            r#"{"fast": 3}"#,
            r#"{"type": "cros", "fast": 3}"#,
            r#"{"type": 7}"#,
            r#"{"type": "cross"}"#,
            r#"{"type": "cross", "fast": 3, "speed": 1}"#,
            r#"{"type": "cross", "fast": "3"}"#,
            r#"{"type": "cross", "fast": 3, "fast": 4}"#,
            r#"{"type": "off", "type": "off"}"#,
            r#""cross""#,
            "4",
        ] {
            let theirs = crate::json::message(&serde_json::from_str::<Serde>(text).unwrap_err())
                .replace("enum Serde", "enum Ours");
            assert_eq!(crate::json::message(&ours(text).unwrap_err()), theirs, "{text}");
        }
    }

    #[test]
    fn errors_keep_their_place_in_the_text() {
        // serde's tagged form places every error in a variant's fields at the object's end.
        let e = ours(r#"{"type": "cross", "fast": "3", "note": "n"}"#).unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 29));
        let e = ours(r#"{"fast": 3, "type": "cross", "speed": 1}"#).unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 36));
        let e = ours("{\"fast\": 3,\n \"type\": \"cros\"}").unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 15));
        // Arrays are not objects here either (serde's tagged form reads `["cross", 3]`).
        let e = ours(r#"["cross", 3]"#).unwrap_err();
        assert_eq!(crate::json::message(&e), "invalid type: sequence, expected internally tagged enum Ours");
        assert!(serde_json::from_str::<Serde>(r#"["cross", 3]"#).is_ok());
    }

    #[test]
    fn newtype_and_tuple_variants_and_other_values_are_refused() {
        #[derive(Debug, Serialize, Deserialize)]
        #[serde(remote = "Self")]
        enum Other {
            Wrapped(u32),
            Pair(u32, u32),
        }
        let read = |text| super::from_str(text, "type", Other::deserialize).unwrap_err().to_string();
        assert_eq!(
            read(r#"{"type": "Wrapped"}"#),
            "invalid type: newtype variant, expected a unit or struct variant"
        );
        assert_eq!(
            read(r#"{"type": "Pair"}"#),
            "invalid type: tuple variant, expected a unit or struct variant"
        );
        let write =
            |v: &Other| Other::serialize(v, super::TagSerializer::new(serde_json::value::Serializer, "type"));
        for v in [Other::Wrapped(1), Other::Pair(1, 2)] {
            let e = write(&v).unwrap_err().to_string();
            assert_eq!(e, "an internally tagged value must be a unit or struct variant");
        }
        let not_an_enum = super::from_str(r#"{"type": "Pair"}"#, "type", u32::deserialize);
        assert_eq!(not_an_enum.unwrap_err().to_string(), "an internally tagged value must be an enum");
        let e = 5u8.serialize(super::TagSerializer::new(serde_json::value::Serializer, "type"));
        assert_eq!(e.unwrap_err().to_string(), "an internally tagged value must be a unit or struct variant");
    }
}
