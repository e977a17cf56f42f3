//! JSON text to Rust values: serde_json, with every struct read from an object only.
//!
//! serde_json also reads a struct from an array of its fields in order (`[1, 2]` for `{a, b}`).
//! No format the engine reads uses that, and it costs: each struct's decoder is built twice, once
//! for objects and once for arrays, which was 59 KB of the browser's wasm before compression
//! (17.7 KB gzipped). Reading through [`from_str`] asks serde_json for a map wherever serde asks
//! for a struct, so the array form is never built; an array where an object belongs is refused as
//! "invalid type: sequence, expected struct ...".
//!
//! Every other request is passed through unchanged, so errors, their positions and serde_json's
//! own types (`RawValue`, `Value`) are serde_json's. Struct variants of enums are the exception
//! that is not worth making: they go to serde_json as they are (a handful, with their messages).
//!
//! All the core's decoding of JSON text goes through here: a type read both here and straight
//! through serde_json would carry both decoders.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use std::fmt;

/// Decodes `text` as `T` (as `serde_json::from_str`, structs from objects only).
pub fn from_str<'a, T: de::Deserialize<'a>>(text: &'a str) -> serde_json::Result<T> {
    from_str_seed(text, std::marker::PhantomData::<T>)
}

/// Decodes `text` with `seed` (as [`from_str`]).
pub fn from_str_seed<'a, S: DeserializeSeed<'a>>(text: &'a str, seed: S) -> serde_json::Result<S::Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(Objects(&mut de))?;
    de.end()?;
    Ok(value)
}

/// serde_json's message without the position it appends (" at line L column C"), for errors
/// that say where in their own terms (a config path, a line of a data file, a grid parameter).
pub fn message(e: &serde_json::Error) -> String {
    let mut message = e.to_string();
    if let Some(at) = message.rfind(" at line ") {
        if message[at..].contains(" column ") {
            message.truncate(at);
        }
    }
    message
}

/// `message`, for text already known to be well-formed JSON. There the one syntax error serde_json
/// can still give, "expected value", means an enum given neither a variant's name nor an object
/// with one key naming it (serde_json cannot say more: it sees the value before the enum's name).
pub fn data_message(e: &serde_json::Error) -> String {
    match (e.classify(), message(e)) {
        (serde_json::error::Category::Syntax, m) if m == "expected value" => {
            "invalid type: expected a variant's name, or an object with one key naming it".to_string()
        }
        (_, m) => m,
    }
}

/// The wrapper: around a deserializer, a visitor, a map, sequence or enum access, or a seed, it
/// passes everything to what it wraps, wrapping what that hands on, and turns struct requests
/// into map requests.
struct Objects<T>(T);

macro_rules! pass_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method(Objects(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    pass_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str deserialize_string
        deserialize_bytes deserialize_byte_buf deserialize_option deserialize_unit deserialize_seq
        deserialize_map deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Objects(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // serde_json's RawValue is a newtype of a private name: passed on as it is, it still works.
        self.0.deserialize_newtype_struct(name, Objects(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Objects(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Objects(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Objects(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Objects(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! pass_visit {
    ($($method:ident($ty:ty))*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<Self::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Objects<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    pass_visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64) visit_i128(i128)
        visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64) visit_u128(u128)
        visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str) visit_borrowed_str(&'de str)
        visit_string(String) visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Objects(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Objects(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Objects(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Objects<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Objects(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Objects(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Objects(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Objects<A> {
    type Error = A::Error;
    type Variant = Objects<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0.variant_seed(Objects(seed)).map(|(value, variant)| (value, Objects(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Objects(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Objects(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Objects(visitor))
    }
}

#[cfg(test)]
mod tests {
    use super::from_str;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Pair {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Unit,
        Newtype(Pair),
        Struct { a: u32 },
        Tuple(u8, u8),
    }

    #[test]
    fn structs_come_from_objects_only() {
        assert_eq!(from_str::<Pair>(r#"{"a": 1, "b": "x"}"#).unwrap(), Pair { a: 1, b: Some("x".into()) });
        assert_eq!(from_str::<Vec<Pair>>(r#"[{"a": 2}]"#).unwrap(), vec![Pair { a: 2, b: None }]);
        assert_eq!(
            serde_json::from_str::<Pair>("[3]").unwrap(),
            Pair { a: 3, b: None },
            "serde_json takes arrays"
        );
        let e = from_str::<Pair>("[3]").unwrap_err().to_string();
        assert_eq!(e, "invalid type: sequence, expected struct Pair at line 1 column 0");
        let e = from_str::<Vec<Pair>>(r#"[{"a": 1}, [2]]"#).unwrap_err().to_string();
        assert_eq!(e, "invalid type: sequence, expected struct Pair at line 1 column 11");
    }

    #[test]
    fn everything_else_as_serde_json_reads_it() {
        // Errors and their positions are serde_json's.
        for bad in
            [r#"{"a": 1, "c": 2}"#, r#"{"a": "x"}"#, r#"{"b": "x"}"#, r#"{"a": 1"#, r#"{"a": 1} x"#, "7"]
        {
            assert_eq!(
                from_str::<Pair>(bad).unwrap_err().to_string(),
                serde_json::from_str::<Pair>(bad).unwrap_err().to_string(),
                "{bad}"
            );
        }
        for text in
            [r#""Unit""#, r#"{"Newtype": {"a": 1}}"#, r#"{"Struct": {"a": 2}}"#, r#"{"Tuple": [3, 4]}"#]
        {
            assert_eq!(
                from_str::<Shape>(text).unwrap(),
                serde_json::from_str::<Shape>(text).unwrap(),
                "{text}"
            );
        }
        for bad in [r#""Struct""#, r#"{"Unit": 1}"#, r#"{"Newtype": [1]}"#, r#"{"Nope": 1}"#] {
            let ours = from_str::<Shape>(bad).map_err(|e| e.to_string());
            assert!(ours.is_err(), "{bad}");
            if bad != r#"{"Newtype": [1]}"# {
                assert_eq!(ours, serde_json::from_str::<Shape>(bad).map_err(|e| e.to_string()), "{bad}");
            }
        }
        // serde_json's own types: raw text and values, borrowed and owned strings, numbers.
        let raw: Vec<&serde_json::value::RawValue> = from_str(r#"[{"a": [1, 2]}, "x"]"#).unwrap();
        assert_eq!(raw[0].get(), r#"{"a": [1, 2]}"#);
        let boxed: Box<serde_json::value::RawValue> = from_str(r#" {"k": 1} "#).unwrap();
        assert_eq!(boxed.get(), r#"{"k": 1}"#);
        let v: serde_json::Value = from_str(r#"{"n": 1.5, "s": "t\u00e9", "l": [null, true, -2]}"#).unwrap();
        assert_eq!(v, serde_json::json!({"n": 1.5, "s": "té", "l": [null, true, -2]}));
        let s: &str = from_str(r#""borrowed""#).unwrap();
        assert_eq!(s, "borrowed");
        let d: rust_decimal::Decimal = from_str(r#""12.50""#).unwrap();
        assert_eq!(d.to_string(), "12.50");
        let o: Option<(u8, i64, f64)> = from_str("[1, -2, 3.5]").unwrap();
        assert_eq!(o, Some((1, -2, 3.5)));
    }
}
